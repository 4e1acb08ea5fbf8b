using System.Buffers.Binary;
using System.Text;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Automaton;

// The actions of RFC 1661 §4.4, each turned into outputs.
public sealed partial class ControlEngine
{
    private void Execute(ControlAction action, ControlAction cell, in Context context)
    {
        switch (action)
        {
            case ControlAction.Tld:
                Emit(new ThisLayerDown());
                break;
            case ControlAction.Tls:
                Emit(new ThisLayerStarted());
                break;
            case ControlAction.Irc:
                // §4.4 irc: Max-Terminate on the way down, Max-Configure otherwise.
                _restartCounter = (cell & ControlAction.Str) != 0 ? Settings.MaxTerminate : Settings.MaxConfigure;
                _requestsSinceIrc = 0;
                break;
            case ControlAction.Zrc:
                // §4.4 zrc: wait one restart interval for the peer to see our Terminate-Ack, then finish.
                _restartCounter = 0;
                break;
            case ControlAction.Scr:
                SendConfigureRequest();
                break;
            case ControlAction.Sca:
                // §4.6 Max-Failure counts Naks sent "without sending a Configure-Ack".
                _naksInARow = 0;
                Counters.ConfAcksSent++;
                Send(ControlCode.ConfAck, context.PeerId, context.Payload);
                break;
            case ControlAction.Scn:
                if (context.ReplyCode == ControlCode.ConfRej)
                {
                    Counters.ConfRejsSent++;
                    Send(ControlCode.ConfRej, context.PeerId, context.Payload);
                }
                else
                {
                    _naksInARow++;
                    Counters.ConfNaksSent++;
                    Send(ControlCode.ConfNak, context.PeerId, context.Payload);
                }
                break;
            case ControlAction.Str:
                SendTerminateRequest();
                break;
            case ControlAction.Sta:
                // §5.5: the Terminate-Ack copies the Identifier of the packet it answers.
                Counters.TermAcksSent++;
                Send(ControlCode.TermAck, context.PeerId, []);
                break;
            case ControlAction.Scj:
                // §5.6: a fresh Identifier; the Rejected-Packet is truncated to the peer's MRU.
                Counters.CodeRejsSent++;
                Send(ControlCode.CodeRej, NextId(), Fit(context.Payload, PeerMru - ControlPacket.HeaderLength));
                break;
            case ControlAction.Ser:
                SendEchoReply(context);
                break;
            case ControlAction.Tlu:
                Emit(new ThisLayerUp());
                break;
            case ControlAction.Tlf:
                Finish(context);
                break;
        }
    }

    private void SendConfigureRequest()
    {
        var request = new OptionWriter();
        _policy.WriteRequest(request);
        _requestOptions = request.ToArray();
        _requestOptionList = OptionList.TryParse(_requestOptions, out var parsed) ? parsed : [];
        // §5.1: "the Identifier field MUST be changed whenever the contents of the Options field
        // changes, and whenever a valid reply has been received"; like pppd, retransmissions get a
        // new one too, so a late reply to an earlier copy cannot be mistaken for the current one.
        _requestId = NextId();
        _awaitingReply = true;
        CountTransmission();
        Counters.ConfReqsSent++;
        Send(ControlCode.ConfReq, _requestId, _requestOptions);
    }

    private void SendTerminateRequest()
    {
        // §5.5: the Data field is uninterpreted; like pppd, it carries the reason for the peer's log,
        // without our own "LCP: " prefix (the peer logs it under its own protocol name).
        var reason = Encoding.UTF8.GetBytes(LayerReason.Strip(Name, _terminateReason));
        CountTransmission();
        Counters.TermReqsSent++;
        Send(ControlCode.TermReq, NextId(), Fit(reason, PeerMru - ControlPacket.HeaderLength));
    }

    private void SendEchoReply(in Context context)
    {
        // §5.8: the Identifier is copied from the Echo-Request; the Magic-Number is ours, or zero
        // when none was negotiated.
        var data = Fit(context.Payload, PeerMru - ControlPacket.HeaderLength - 4);
        var body = new byte[4 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(body, _lcp?.LocalMagic ?? 0);
        data.CopyTo(body.AsSpan(4));
        Counters.EchoRepsSent++;
        Send(ControlCode.EchoRep, context.PeerId, body);
    }

    private void Finish(in Context context)
    {
        string reason = context.Reason ?? _terminateReason;
        bool failure = context.Reason is not null ? context.ReasonIsFailure : _terminateIsFailure;
        bool byPeer = context.Reason is not null ? context.ByPeer : _terminateByPeer;
        if (failure)
            LastFailureReason = reason;
        Emit(new ThisLayerFinished(reason, byPeer));
    }

    /// <summary>§4.4 irc: "The counter is decremented for each transmission, including the first."</summary>
    private void CountTransmission()
    {
        if (_restartCounter > 0)
            _restartCounter--;
        _requestsSinceIrc++;
    }

    private byte NextId() => unchecked(++_lastId);

    private static ReadOnlySpan<byte> Fit(ReadOnlySpan<byte> data, int room) =>
        data.Length <= room ? data : data[..Math.Max(0, room)];

    private void Send(ControlCode code, byte identifier, ReadOnlySpan<byte> data)
    {
        var packet = new byte[ControlPacket.HeaderLength + data.Length];
        packet[0] = (byte)code;
        packet[1] = identifier;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), checked((ushort)packet.Length));
        data.CopyTo(packet.AsSpan(ControlPacket.HeaderLength));
        Counters.PacketsSent++;
        Trace?.Invoke(true, Protocol, packet);
        Emit(new SendControl(Protocol, packet));
    }
}
