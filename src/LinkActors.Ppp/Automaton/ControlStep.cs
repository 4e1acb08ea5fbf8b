namespace LinkActors.Ppp.Automaton;

/// <summary>
/// The table cell one call of the engine went through: the state before, the event the input was
/// classified as, the state after and the actions carried out. <see cref="Illegal"/> marks a "-"
/// cell, which changes nothing.
/// </summary>
public readonly record struct ControlStep(ControlState From, ControlEvent Event, ControlState To, ControlAction Actions, bool Illegal);
