using Akka.Actor;
using Akka.Event;
using LinkActors.Actors.Serial.Transports;

namespace LinkActors.Actors.Serial;

/// <summary>What the port actor tells itself: results of the open, read, write and close tasks, and its timers.</summary>
public sealed partial class SerialPortActor
{
    private sealed record LineOpened(OpenLine Line);

    private sealed record LineOpenFailed(Exception Cause);

    private sealed record DataRead(byte[] Data)
    {
        public override string ToString() => $"DataRead {{ Length = {Data.Length} }}";
    }

    // The reader ends after the port closes, often when the actor is already gone: not a dead letter worth a line.
    private sealed record ReadEnded(string Reason) : IDeadLetterSuppression;

    private sealed record WriteDone
    {
        public static readonly WriteDone Instance = new();
    }

    private sealed record WriteFailed(Exception Cause);

    private sealed record CarrierTick
    {
        public static readonly CarrierTick Instance = new();
    }

    private sealed record HangUpHoldElapsed(IActorRef Commander);

    private sealed record CloseFinished
    {
        public static readonly CloseFinished Instance = new();
    }

    private sealed record CloseTimedOut
    {
        public static readonly CloseTimedOut Instance = new();
    }
}
