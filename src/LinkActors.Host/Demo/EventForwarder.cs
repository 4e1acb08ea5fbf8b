using System.Threading.Channels;
using Akka.Actor;

namespace LinkActors.Host.Demo;

/// <summary>Hands the messages it gets (event-stream events, packets) to a channel the demo awaits.</summary>
internal sealed class EventForwarder : ReceiveActor
{
    public EventForwarder(ChannelWriter<object> writer) => ReceiveAny(m => writer.TryWrite(m));

    public static Props Props(ChannelWriter<object> writer) => Akka.Actor.Props.Create(() => new EventForwarder(writer));
}

/// <summary>A channel writer that keeps only the messages of one type.</summary>
internal sealed class TypedChannelWriter<T>(ChannelWriter<T> inner) : ChannelWriter<object>
{
    public override bool TryWrite(object item) => item is T typed && inner.TryWrite(typed);

    public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => inner.WaitToWriteAsync(cancellationToken);
}
