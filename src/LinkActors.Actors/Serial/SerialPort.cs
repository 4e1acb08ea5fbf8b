using Akka.Actor;

namespace LinkActors.Actors.Serial;

/// <summary>
/// The message protocol of <see cref="SerialPortActor"/>. Commands are sent by the link (and by whoever is the
/// current reader); every command that can fail is answered with <see cref="CommandFailed"/>. Events about the
/// line go to the owner named at creation, received bytes to the current reader.
/// </summary>
public static class SerialPort
{
    /// <summary>A command to the port actor.</summary>
    public abstract record Command;

    /// <summary>Something the port actor reports.</summary>
    public abstract record Event;

    /// <summary>
    /// Queue bytes for the line. The sender gets <paramref name="Ack"/> back once they are written (when Ack is
    /// not null), and <see cref="CommandFailed"/> if the write queue is full, the write timed out, or the port
    /// closed first. Send the next write when the Ack arrives: one in flight keeps the queue short.
    /// </summary>
    public sealed record Write(ReadOnlyMemory<byte> Data, object? Ack = null) : Command
    {
        public override string ToString() => $"Write {{ Length = {Data.Length}, Ack = {Ack} }}";
    }

    /// <summary>
    /// Where <see cref="Received"/> goes from now on: the chat actor while scripts run, the framing actor after
    /// CONNECT. Reading from the line starts with the first SetReader; until then the bytes wait in the OS.
    /// </summary>
    public sealed record SetReader(IActorRef Reader) : Command;

    /// <summary>
    /// End the call. On a serial line with modem control (not `local`): drop DTR for the hang-up hold time,
    /// raise it again and answer <see cref="HungUp"/>; the port stays open. Anywhere else (pty, TCP, stdio,
    /// `local`): the same as <see cref="Close"/>.
    /// </summary>
    public sealed record HangUp : Command
    {
        public static readonly HangUp Instance = new();

        private HangUp() { }
    }

    /// <summary>Close the line and stop. Writes not yet acknowledged are failed; answered with <see cref="Closed"/>.</summary>
    public sealed record Close : Command
    {
        public static readonly Close Instance = new();

        private Close() { }
    }

    /// <summary>The line is open (and locked, for a device).</summary>
    public sealed record Opened(string Device) : Event;

    /// <summary>The line could not be opened (missing device, lock held by a live process, refused connection); the actor stops.</summary>
    public sealed record OpenFailed(string Device, Exception Cause) : Event
    {
        public override string ToString() => $"OpenFailed {{ Device = {Device}, Cause = {Cause.Message} }}";
    }

    /// <summary>Bytes read from the line, in order.</summary>
    public sealed record Received(ReadOnlyMemory<byte> Data) : Event
    {
        public override string ToString() => $"Received {{ Length = {Data.Length} }}";
    }

    /// <summary>DCD changed (and once after opening): only on a serial line with modem control.</summary>
    public sealed record CarrierChanged(bool Present) : Event;

    /// <summary>The line went away under us (device unplugged, pty master closed, TCP peer closed); the actor stops.</summary>
    public sealed record DeviceVanished(string Reason) : Event;

    /// <summary>DTR was dropped and raised again.</summary>
    public sealed record HungUp : Event
    {
        public static readonly HungUp Instance = new();

        private HungUp() { }
    }

    /// <summary>The line is closed after a <see cref="Close"/> (or a <see cref="HangUp"/> without modem control); the actor stops.</summary>
    public sealed record Closed : Event
    {
        public static readonly Closed Instance = new();

        private Closed() { }
    }

    /// <summary>A command could not be carried out.</summary>
    public sealed record CommandFailed(Command Command, Exception Cause) : Event
    {
        public override string ToString() => $"CommandFailed {{ Command = {Command}, Cause = {Cause.Message} }}";
    }
}
