using System.Buffers.Binary;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Automaton;

// Received packets become events (RFC 1661 §4.3, §5); the LCP-only codes and sends (§5.7-5.9).
public sealed partial class ControlEngine
{
    private const int MagicLength = 4;
    private const int ProtocolFieldLength = 2;

    /// <summary>A control packet arrived: <paramref name="information"/> is the PPP information field (code onwards).</summary>
    public IReadOnlyList<EngineOutput> Receive(ReadOnlySpan<byte> information)
    {
        Begin();
        Counters.PacketsReceived++;
        Trace?.Invoke(false, Protocol, information.ToArray());

        // §5: short packets and lying Length fields are silently discarded.
        if (!ControlPacket.TryParse(information, out var packet))
        {
            Discard();
            return End();
        }

        switch (packet.Code)
        {
            case ControlCode.ConfReq:
                ReceiveConfigureRequest(packet);
                break;
            case ControlCode.ConfAck or ControlCode.ConfNak or ControlCode.ConfRej:
                ReceiveConfigureReply(packet);
                break;
            case ControlCode.TermReq:
                Fire(ControlEvent.Rtr, new Context(
                    PeerId: packet.Identifier, Reason: $"{Name}: peer requested termination", ReasonIsFailure: true, ByPeer: true));
                break;
            case ControlCode.TermAck:
                // §5.5: an unelicited Terminate-Ack is meaningful too ("the peer is in need of
                // re-negotiation"), so its Identifier is not matched against ours.
                Fire(ControlEvent.Rta, default);
                break;
            case ControlCode.CodeRej:
                ReceiveCodeReject(packet);
                break;
            case ControlCode.ProtRej when _lcp is not null:
                ReceiveProtocolReject(packet);
                break;
            case ControlCode.EchoReq when _lcp is not null:
                ReceiveEchoRequest(packet, _lcp);
                break;
            case ControlCode.EchoRep when _lcp is not null:
                ReceiveEchoReply(packet, _lcp);
                break;
            case ControlCode.DiscReq when _lcp is not null:
                // §5.9: Discard-Request is RXR and otherwise ignored.
                Fire(ControlEvent.Rxr, default);
                break;
            default:
                // §5.6: an unknown code (or 8-11 outside LCP) is RUC, answered with the whole packet
                // as received, padding dropped.
                Fire(ControlEvent.Ruc, new Context(Payload: information[..packet.Length].ToArray()));
                break;
        }
        return End();
    }

    /// <summary>
    /// Sends an LCP Echo-Request carrying our Magic-Number and <paramref name="data"/> (§5.8). Only in
    /// Opened; in any other state nothing is sent.
    /// </summary>
    public IReadOnlyList<EngineOutput> SendEchoRequest(ReadOnlySpan<byte> data)
    {
        var lcp = RequireLcp();
        Begin();
        // §5.8: "Echo-Request ... packets MUST only be sent in the LCP Opened state".
        if (State == ControlState.Opened)
        {
            var fitted = Fit(data, PeerMru - ControlPacket.HeaderLength - MagicLength);
            var body = new byte[MagicLength + fitted.Length];
            BinaryPrimitives.WriteUInt32BigEndian(body, lcp.LocalMagic);
            fitted.CopyTo(body.AsSpan(MagicLength));
            Counters.EchoReqsSent++;
            Send(ControlCode.EchoReq, unchecked(++_lastEchoId), body);
        }
        return End();
    }

    /// <summary>
    /// Sends an LCP Protocol-Reject for a frame of <paramref name="protocol"/> (§5.7), its information
    /// truncated so the whole packet is at most <paramref name="maxLength"/> octets (the peer's MRU).
    /// Only in Opened; in any other state nothing is sent.
    /// </summary>
    public IReadOnlyList<EngineOutput> SendProtocolReject(ushort protocol, ReadOnlySpan<byte> information, int maxLength)
    {
        RequireLcp();
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, ControlPacket.HeaderLength + ProtocolFieldLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLength, ushort.MaxValue);
        Begin();
        // §5.7: "Protocol-Reject packets can only be sent in the LCP Opened state."
        if (State == ControlState.Opened)
        {
            var fitted = Fit(information, maxLength - ControlPacket.HeaderLength - ProtocolFieldLength);
            var body = new byte[ProtocolFieldLength + fitted.Length];
            BinaryPrimitives.WriteUInt16BigEndian(body, protocol);
            fitted.CopyTo(body.AsSpan(ProtocolFieldLength));
            Counters.ProtRejsSent++;
            Send(ControlCode.ProtRej, NextId(), body);
        }
        return End();
    }

    private void ReceiveConfigureRequest(ControlPacket packet)
    {
        // RFC 1661 §5.4: what cannot be recognized is Configure-Rejected. An option whose Length is
        // below 2 or runs past the packet cannot be split from the rest, so the request is answered
        // as pppd answers it: the well-formed options are judged, and the Reject carries the broken
        // option and everything after it as received. (A broken Length field of the packet itself is
        // discarded above: that is no packet at all.)
        var data = packet.Data.Span;
        int wellFormed = OptionList.ParseWellFormed(data, out var options);
        var malformed = data[wellFormed..];

        var probe = TransitionTable.Lookup(State, ControlEvent.RcrPlus, _options);
        if (probe is not { } cell || (cell.Actions & (ControlAction.Sca | ControlAction.Scn)) == 0)
        {
            // Illegal here, or a state that answers without judging (Closed: sta/2; Closing, Stopping:
            // nothing), where the RCR+ and RCR- cells are the same: the policy must not learn from a
            // request the automaton does not take up.
            Fire(ControlEvent.RcrPlus, new Context(PeerId: packet.Identifier));
            return;
        }

        // A request in Stopped or Opened starts a new negotiation (irc,scr,sca/8; tld,scr,sca/8): the
        // policy forgets the old one before judging, so the judgement is kept.
        bool begun = (cell.Actions & ControlAction.Scr) != 0 && !IsNegotiating(State);
        if (begun)
            BeginNegotiation();

        var reply = new OptionWriter();
        bool rejectInsteadOfNak = _naksInARow >= Settings.MaxFailure;
        var verdict = _policy.JudgeRequest(options, reply, rejectInsteadOfNak);
        if (verdict == RequestVerdict.Nak && rejectInsteadOfNak)
            verdict = RejectNakkedOptions(options, reply);
        if (!malformed.IsEmpty)
        {
            Counters.MalformedOptionsRejected++;
            // A Reject lists only what is rejected (§5.4): a Nak's or Ack's judgement gives way to it.
            if (verdict != RequestVerdict.Reject)
                reply.Clear();
            reply.WriteRaw(malformed);
            verdict = RequestVerdict.Reject;
        }

        var context = verdict switch
        {
            // §5.2: the Ack carries the request's options unchanged, byte for byte.
            RequestVerdict.Ack => new Context(PeerId: packet.Identifier, Payload: packet.Data.ToArray(), NegotiationBegun: begun),
            RequestVerdict.Nak => new Context(PeerId: packet.Identifier, ReplyCode: ControlCode.ConfNak, Payload: reply.ToArray(), NegotiationBegun: begun),
            RequestVerdict.Reject => new Context(PeerId: packet.Identifier, ReplyCode: ControlCode.ConfRej, Payload: reply.ToArray(), NegotiationBegun: begun),
            _ => throw new InvalidOperationException($"{Name}: policy returned an unknown verdict {verdict}"),
        };
        Fire(verdict == RequestVerdict.Ack ? ControlEvent.RcrPlus : ControlEvent.RcrMinus, context);
    }

    /// <summary>
    /// §4.6 Max-Failure: "Any further Configure-Nak packets for peer requested options are converted to
    /// Configure-Reject packets". For a policy that Naks although told not to, the engine rejects the
    /// requested options of the types the Nak names; a Nak that only suggests options the peer did not
    /// request has nothing to reject and stays a Nak.
    /// </summary>
    private static RequestVerdict RejectNakkedOptions(List<RawOption> requested, OptionWriter reply)
    {
        if (!OptionList.TryParse(reply.WrittenSpan, out var nakked))
            return RequestVerdict.Nak;
        var types = nakked.Select(option => option.Type).ToHashSet();
        var rejected = requested.Where(option => types.Contains(option.Type)).ToList();
        if (rejected.Count == 0)
            return RequestVerdict.Nak;
        reply.Clear();
        foreach (var option in rejected)
            reply.Write(option);
        return RequestVerdict.Reject;
    }

    /// <summary>
    /// Configure-Ack/Nak/Reject. In Closed and Stopped any of them is answered with a Terminate-Ack and
    /// in Closing and Stopping ignored (sta/2, sta/3, 4, 5), so there they are not matched against a
    /// request. In the negotiating states and Opened they must answer the outstanding request; once a
    /// request is answered it is no longer outstanding, so a duplicate reply is "out of sequence" and
    /// silently discarded (§4.3 RCA). That makes the crossed-connection cells [x] (RCA and RCN in
    /// Ack-Rcvd and Opened) unreachable by a duplicated or delayed packet, as in pppd.
    /// </summary>
    private void ReceiveConfigureReply(ControlPacket packet)
    {
        // An Ack, Nak or Reject whose options cannot be parsed is no answer to anything we sent (§5).
        if (!OptionList.TryParse(packet.Data.Span, out var options))
        {
            Discard();
            return;
        }
        var @event = packet.Code == ControlCode.ConfAck ? ControlEvent.Rca : ControlEvent.Rcn;
        if (State is not (ControlState.ReqSent or ControlState.AckRcvd or ControlState.AckSent or ControlState.Opened))
        {
            Fire(@event, new Context(PeerId: packet.Identifier));
            return;
        }
        if (!AnswersOutstandingRequest(packet, options))
        {
            Discard();
            return;
        }

        _awaitingReply = false;
        switch (packet.Code)
        {
            case ControlCode.ConfAck:
                _policy.ApplyAck(options);
                break;
            case ControlCode.ConfNak:
                _policy.ApplyNak(options);
                break;
            default:
                _policy.ApplyReject(options);
                break;
        }
        Fire(@event, new Context(PeerId: packet.Identifier));
    }

    private bool AnswersOutstandingRequest(ControlPacket packet, List<RawOption> options)
    {
        // §5.2-5.4: "the Identifier field MUST match that of the last transmitted Configure-Request".
        if (!_awaitingReply || packet.Identifier != _requestId)
            return false;
        return packet.Code switch
        {
            // §5.2: "the Configuration Options in a Configure-Ack MUST exactly match those of the last
            // transmitted Configure-Request".
            ControlCode.ConfAck => packet.Data.Span.SequenceEqual(_requestOptions),
            // §5.4: the rejected options "MUST be a proper subset of those in the last transmitted
            // Configure-Request" and "MUST NOT be reordered or modified". An empty Reject rejects
            // nothing and would only make us resend the same request, so it is discarded too.
            ControlCode.ConfRej => options.Count > 0 && IsOrderedSubset(options, _requestOptionList),
            _ => true,
        };
    }

    private static bool IsOrderedSubset(List<RawOption> subset, List<RawOption> of)
    {
        int next = 0;
        foreach (var option in subset)
        {
            while (next < of.Count && !SameOption(of[next], option))
                next++;
            if (next == of.Count)
                return false;
            next++;
        }
        return true;
    }

    private static bool SameOption(RawOption a, RawOption b) => a.Type == b.Type && a.Data.Span.SequenceEqual(b.Data.Span);

    private void ReceiveCodeReject(ControlPacket packet)
    {
        // §5.6: the Rejected-Packet starts with the rejected packet's Code.
        if (packet.Data.Length < 1)
        {
            Discard();
            return;
        }
        byte rejectedCode = packet.Data.Span[0];
        // §5.6 / §4.3 RXJ-: a rejected code the protocol cannot work without is catastrophic:
        // Configure-*, Terminate-* and Code-Reject itself (1-7). The LCP extras (8-11) and anything
        // else are permitted (RXJ+): e.g. a peer without Echo only loses the keepalive.
        bool catastrophic = rejectedCode is >= (byte)ControlCode.ConfReq and <= (byte)ControlCode.CodeRej;
        Fire(catastrophic ? ControlEvent.RxjMinus : ControlEvent.RxjPlus, new Context(
            Reason: $"{Name}: peer rejected code {rejectedCode} (Code-Reject)", ReasonIsFailure: true));
        if (LastStep is { Illegal: false })
            Emit(new CodeRejectReceived(rejectedCode));
    }

    private void ReceiveProtocolReject(ControlPacket packet)
    {
        // §5.7: "Protocol-Reject packets received in any state other than the LCP Opened state SHOULD
        // be silently discarded."
        if (State != ControlState.Opened || packet.Data.Length < ProtocolFieldLength)
        {
            Discard();
            return;
        }
        ushort rejected = BinaryPrimitives.ReadUInt16BigEndian(packet.Data.Span);
        // A Protocol-Reject of LCP itself is catastrophic (§4.3 RXJ-); of any other protocol it only
        // ends that protocol, which its own engine hears through ProtocolRejected.
        bool catastrophic = rejected == _policy.Protocol;
        Fire(catastrophic ? ControlEvent.RxjMinus : ControlEvent.RxjPlus, new Context(
            Reason: $"{Name}: peer rejected {PppProtocol.Name(rejected)} (Protocol-Reject)", ReasonIsFailure: true));
        Emit(new ProtocolRejectReceived(rejected));
    }

    private void ReceiveEchoRequest(ControlPacket packet, ILcpPolicy lcp)
    {
        if (packet.Data.Length < MagicLength)
        {
            Discard();
            return;
        }
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(packet.Data.Span);
        if (State == ControlState.Opened && lcp.LocalMagic != 0 && magic == lcp.LocalMagic)
        {
            // §6.4: our own Magic-Number coming back means a looped-back link. Not answered, so a
            // loop cannot keep our own packets circulating.
            Emit(new LoopbackSuspected(magic));
            Discard();
            return;
        }
        // §5.8: answered in Opened only (RXR is ser/9 there and nothing elsewhere).
        Fire(ControlEvent.Rxr, new Context(PeerId: packet.Identifier, Payload: packet.Data[MagicLength..].ToArray(), AnswerEcho: true));
    }

    private void ReceiveEchoReply(ControlPacket packet, ILcpPolicy lcp)
    {
        if (packet.Data.Length < MagicLength)
        {
            Discard();
            return;
        }
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(packet.Data.Span);
        if (State == ControlState.Opened)
        {
            if (lcp.LocalMagic != 0 && magic == lcp.LocalMagic)
                Emit(new LoopbackSuspected(magic));
            else
                Emit(new EchoReplyReceived(packet.Identifier, magic));
        }
        Fire(ControlEvent.Rxr, default);
    }

    private void Discard() => Counters.DiscardedPackets++;

    private ILcpPolicy RequireLcp() =>
        _lcp ?? throw new InvalidOperationException($"{Name}: only LCP sends Echo-Request and Protocol-Reject");
}
