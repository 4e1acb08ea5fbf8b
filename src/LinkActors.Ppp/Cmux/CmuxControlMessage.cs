namespace LinkActors.Ppp.Cmux;

/// <summary>
/// A message on the control channel (DLCI 0), carried in the Information of a UIH frame (TS 27.010 §5.4.6.1):
/// <c>Type | Length | Value</c>, the type and length fields extensible by their EA bits.
/// </summary>
public sealed record CmuxControlMessage(CmuxMessageType Type, bool IsCommand, ReadOnlyMemory<byte> Value)
{
    /// <summary>A message type octet the decoder does not know, kept for the NSC answer (§5.4.6.3.8).</summary>
    public byte RawType { get; init; } = (byte)Type;

    /// <summary>MSC for <paramref name="dlci"/> (§5.4.6.3.7): the DLCI octet (EA, bit 2 set) and the signals.</summary>
    public static CmuxControlMessage ModemStatus(int dlci, V24Signals signals, bool isCommand) =>
        new(CmuxMessageType.Msc, isCommand, new[] { (byte)((dlci << 2) | 0x02 | Cmux.ExtensionBit), (byte)((byte)signals | Cmux.ExtensionBit) });

    /// <summary>CLD (§5.4.6.3.3): no value.</summary>
    public static CmuxControlMessage CloseDown(bool isCommand) => new(CmuxMessageType.Cld, isCommand, ReadOnlyMemory<byte>.Empty);

    /// <summary>PSC (§5.4.6.3.2): no value asks the modem to save power.</summary>
    public static CmuxControlMessage PowerSaving(bool isCommand) => new(CmuxMessageType.Psc, isCommand, ReadOnlyMemory<byte>.Empty);

    /// <summary>Test (§5.4.6.3.4): the responder returns the same value.</summary>
    public static CmuxControlMessage Test(ReadOnlyMemory<byte> pattern, bool isCommand) => new(CmuxMessageType.Test, isCommand, pattern);

    /// <summary>NSC (§5.4.6.3.8): the answer to a command type we do not support; its value is that type octet.</summary>
    public static CmuxControlMessage NotSupported(byte rawType) => new(CmuxMessageType.Nsc, false, new[] { rawType });

    public byte[] Encode()
    {
        var value = Value.Span;
        int lengthOctets = 1;
        for (int rest = value.Length >> 7; rest > 0; rest >>= 7)
            lengthOctets++;
        var output = new byte[1 + lengthOctets + value.Length];
        output[0] = (byte)((byte)Type | (IsCommand ? Cmux.CommandResponseBit : 0));
        // §5.4.6.1: seven bits of length per octet, least significant first; EA marks the last.
        int length = value.Length;
        for (int i = 0; i < lengthOctets; i++)
        {
            output[1 + i] = (byte)(((length & 0x7F) << 1) | (i == lengthOctets - 1 ? Cmux.ExtensionBit : 0));
            length >>= 7;
        }
        value.CopyTo(output.AsSpan(1 + lengthOctets));
        return output;
    }

    /// <summary>
    /// Reads one message from the start of <paramref name="information"/>. False when it is cut short or its
    /// type field is extended (no message type defined by the standard needs a second octet).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> information, out CmuxControlMessage? message, out int consumed)
    {
        message = null;
        consumed = 0;
        if (information.IsEmpty || (information[0] & Cmux.ExtensionBit) == 0)
            return false;
        byte typeOctet = information[0];
        int length = 0;
        int i = 1;
        for (int shift = 0; ; shift += 7)
        {
            // More than 15 bits of length cannot fit in a frame (§5.2.1.5).
            if (i >= information.Length || shift > 14)
                return false;
            byte octet = information[i++];
            length |= (octet >> 1) << shift;
            if ((octet & Cmux.ExtensionBit) != 0)
                break;
        }
        if (information.Length - i < length)
            return false;
        byte raw = (byte)(typeOctet & ~Cmux.CommandResponseBit);
        var type = Enum.IsDefined((CmuxMessageType)raw) ? (CmuxMessageType)raw : CmuxMessageType.Nsc;
        message = new CmuxControlMessage(type, (typeOctet & Cmux.CommandResponseBit) != 0, information.Slice(i, length).ToArray())
        {
            RawType = raw,
        };
        consumed = i + length;
        return true;
    }

    /// <summary>The DLCI and signals of an MSC (§5.4.6.3.7); false for any other message or a short value.</summary>
    public bool TryGetModemStatus(out int dlci, out V24Signals signals)
    {
        dlci = 0;
        signals = V24Signals.None;
        if (Type != CmuxMessageType.Msc || RawType != (byte)CmuxMessageType.Msc || Value.Length < 2)
            return false;
        var value = Value.Span;
        dlci = value[0] >> 2;
        signals = (V24Signals)(value[1] & ~Cmux.ExtensionBit & 0xCE);
        return true;
    }

    public override string ToString() => $"{(RawType == (byte)Type ? Type.ToString() : $"type 0x{RawType:X2}")} {(IsCommand ? "command" : "response")} len={Value.Length}";
}
