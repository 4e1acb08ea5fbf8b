using LinkActors.Fleet.Wire;

namespace LinkActors.Host.Fleet;

/// <summary>Where the reporter gets the links' facts, and which published events make it look again.</summary>
public interface IFleetFacts
{
    /// <summary>The event stream types that may change a fact that matters.</summary>
    IReadOnlyList<Type> Triggers { get; }

    /// <summary>The event as a line of the device's timeline, or null when it is not worth one.</summary>
    DeviceEvent? Describe(object published, DateTimeOffset now);

    Task<IReadOnlyList<LinkFacts>> ReadAsync();
}

/// <summary>Runs a command from the fleet on this device (the reporter runs watch-closely itself).</summary>
public interface IFleetCommands
{
    Task<CommandAck> RunAsync(FleetCommand command);
}
