using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Protocols;

/// <summary>
/// Collects a policy's answer to one Configure-Request. RFC 1661 §5.3-5.4: a Configure-Reject
/// carries only rejected options, unchanged; a Configure-Nak only options we would accept, in
/// the order received; so once anything is rejected the Naks are dropped (pppd does the same).
/// </summary>
internal sealed class ReplyBuilder(bool rejectInsteadOfNak)
{
    private readonly OptionWriter _naks = new();
    private readonly OptionWriter _rejects = new();

    public bool HasRejects => _rejects.Length > 0;
    public bool HasNaks => _naks.Length > 0;

    /// <summary>Rejects the option byte-exact (§5.4: "MUST NOT be reordered or modified in any way").</summary>
    public void Reject(RawOption option) => _rejects.Write(option);

    /// <summary>
    /// Naks the option with the value <paramref name="suggest"/> writes; past Max-Failure the option
    /// is Rejected instead (§4.6: "Configure-Nak packets ... are converted to Configure-Reject").
    /// </summary>
    public void Nak(RawOption original, Action<OptionWriter> suggest)
    {
        if (rejectInsteadOfNak)
            Reject(original);
        else
            suggest(_naks);
    }

    /// <summary>
    /// Asks the peer for an option it did not include (§5.3: "Options which are not included ... MAY be
    /// appended"). Never past Max-Failure: there is nothing to reject then.
    /// </summary>
    public bool NakUnrequested(Action<OptionWriter> suggest)
    {
        if (rejectInsteadOfNak)
            return false;
        suggest(_naks);
        return true;
    }

    public RequestVerdict Finish(OptionWriter reply)
    {
        if (HasRejects)
        {
            foreach (var option in Parse(_rejects))
                reply.Write(option);
            return RequestVerdict.Reject;
        }
        if (HasNaks)
        {
            foreach (var option in Parse(_naks))
                reply.Write(option);
            return RequestVerdict.Nak;
        }
        return RequestVerdict.Ack;
    }

    private static List<RawOption> Parse(OptionWriter writer) =>
        OptionList.TryParse(writer.WrittenSpan, out var options) ? options : [];
}
