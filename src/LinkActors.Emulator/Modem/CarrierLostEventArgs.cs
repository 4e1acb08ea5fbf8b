namespace LinkActors.Emulator.Modem;

/// <summary>Why a call ended: <c>ATH</c>, a fault, the server hanging up, a reset.</summary>
public sealed class CarrierLostEventArgs(string reason) : EventArgs
{
    public string Reason { get; } = reason;

    public override string ToString() => Reason;
}
