namespace LinkActors.Ppp.Automaton;

/// <summary>A layer's reason as people read it: prefixed with the layer's name once ("IPCP: peer requested termination"), never twice.</summary>
public static class LayerReason
{
    public static string Of(string layer, string reason)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(reason);
        return reason.StartsWith(layer + ": ", StringComparison.Ordinal) ? reason : $"{layer}: {reason}";
    }

    /// <summary>The reason without the layer's own prefix (for a line that names the layer already, or the peer's log).</summary>
    public static string Strip(string layer, string reason)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(reason);
        return reason.StartsWith(layer + ": ", StringComparison.Ordinal) ? reason[(layer.Length + 2)..] : reason;
    }
}
