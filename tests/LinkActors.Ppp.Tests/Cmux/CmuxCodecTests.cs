using LinkActors.Ppp.Cmux;

namespace LinkActors.Ppp.Tests.Cmux;

/// <summary>Frames laid out field by field as TS 27.010 §5.2.6 draws them.</summary>
public class CmuxCodecTests
{
    // Flag | Address: EA=1, C/R=1, DLCI 0 | Control: SABM 0x2F with P | Length: EA=1, 0 | FCS | Flag
    private static readonly byte[] SabmDlci0 = [0xF9, 0x03, 0x3F, 0x01, 0x1C, 0xF9];

    // Flag | Address: EA=1, C/R=1 (a response from the responder), DLCI 0 | Control: UA 0x63 with F | Length 0 | FCS | Flag
    private static readonly byte[] UaDlci0 = [0xF9, 0x03, 0x73, 0x01, 0xD7, 0xF9];

    // Flag | Address: EA=1, C/R=1, DLCI 0 | Control: DISC 0x43 with P | Length 0 | FCS | Flag
    private static readonly byte[] DiscDlci0 = [0xF9, 0x03, 0x53, 0x01, 0xFD, 0xF9];

    // Flag | Address: EA=1, C/R=1, DLCI 1 (0x07) | Control: SABM with P | Length 0 | FCS | Flag
    private static readonly byte[] SabmDlci1 = [0xF9, 0x07, 0x3F, 0x01, 0xDE, 0xF9];

    // Flag | Address: DLCI 1, C/R=1 | Control: UIH 0xEF | Length: 3 (0x07) | "AT\r" | FCS over 07 EF 07 only
    // (0xD3, from a separate script of Annex B's algorithm) | Flag
    private static readonly byte[] UihAtOnDlci1 = [0xF9, 0x07, 0xEF, 0x07, 0x41, 0x54, 0x0D, 0xD3, 0xF9];

    [Fact]
    public void Fcs_KnownHeaders_MatchThePublishedFrames()
    {
        // The FCS of SABM and UA on DLCI 0, as every 27.010 implementation sends them.
        Assert.Equal(0x1C, CmuxFcs.Compute([0x03, 0x3F, 0x01]));
        Assert.Equal(0xD7, CmuxFcs.Compute([0x03, 0x73, 0x01]));
        Assert.Equal(0xFD, CmuxFcs.Compute([0x03, 0x53, 0x01]));
    }

    [Fact]
    public void Fcs_Check_GivesTheAnnexBRemainder()
    {
        // Annex B.3.5: the receiver's CRC over the covered octets and the FCS is 0xCF.
        Assert.True(CmuxFcs.Check([0x03, 0x3F, 0x01], 0x1C));
        Assert.False(CmuxFcs.Check([0x03, 0x3F, 0x01], 0x1D));
        Assert.False(CmuxFcs.Check([0x07, 0x3F, 0x01], 0x1C));
    }

    [Theory]
    [InlineData(nameof(SabmDlci0), 0, CmuxFrameType.Sabm, true)]
    [InlineData(nameof(UaDlci0), 0, CmuxFrameType.Ua, true)]
    [InlineData(nameof(DiscDlci0), 0, CmuxFrameType.Disc, true)]
    [InlineData(nameof(SabmDlci1), 1, CmuxFrameType.Sabm, true)]
    public void Encode_HeaderOnlyFrames_MatchTheLayout(string name, int dlci, CmuxFrameType type, bool pollFinal)
    {
        var expected = Vector(name);
        Assert.Equal(expected, CmuxEncoder.Encode(dlci, true, type, pollFinal, []));
        var frame = Assert.Single(new CmuxDecoder().Decode(expected));
        Assert.Equal(new CmuxFrame(dlci, true, type, pollFinal).ToString(), frame.ToString());
    }

    [Fact]
    public void Encode_Uih_FcsCoversTheHeaderOnly()
    {
        Assert.Equal(UihAtOnDlci1, CmuxEncoder.Encode(1, true, CmuxFrameType.Uih, false, "AT\r"u8));
        Assert.Equal(CmuxFcs.Compute([0x07, 0xEF, 0x07]), UihAtOnDlci1[^2]);
        var frame = Assert.Single(new CmuxDecoder().Decode(UihAtOnDlci1));
        Assert.Equal("AT\r"u8.ToArray(), frame.Information.ToArray());
    }

    [Fact]
    public void Encode_Ui_FcsCoversTheInformationToo()
    {
        var frame = CmuxEncoder.Encode(1, true, CmuxFrameType.Ui, false, "AT\r"u8);
        Assert.Equal(CmuxFcs.Compute([0x07, 0x03, 0x07, 0x41, 0x54, 0x0D]), frame[^2]);
    }

    [Fact]
    public void Encode_LongInformation_TakesTwoLengthOctets()
    {
        var info = new byte[300];
        var frame = CmuxEncoder.Encode(2, false, CmuxFrameType.Uih, false, info);
        // §5.2.1.5: 300 = 0b10_0101100: first octet EA=0 with bits 1..7 (0x2C << 1), second bits 8..15 (2).
        Assert.Equal(0x58, frame[3]);
        Assert.Equal(0x02, frame[4]);
        Assert.Equal(300 + 7, frame.Length);
        var decoded = Assert.Single(new CmuxDecoder(n1: 300).Decode(frame));
        Assert.Equal(300, decoded.Information.Length);
    }

    [Fact]
    public void Decode_TwoOctetLengthForAShortFrame_IsAccepted()
    {
        // A sender may use two length octets for a short frame; the FCS covers them as sent.
        byte[] header = [0x07, 0xEF, 0x06, 0x00];
        byte[] frame = [0xF9, .. header, 0x41, 0x54, 0x0D, CmuxFcs.Compute(header), 0xF9];
        Assert.Equal("AT\r"u8.ToArray(), Assert.Single(new CmuxDecoder().Decode(frame)).Information.ToArray());
    }

    [Fact]
    public void Decode_SplitEveryOctet_ReassemblesFrames()
    {
        var decoder = new CmuxDecoder();
        var frames = new List<CmuxFrame>();
        foreach (var octet in (byte[])[.. SabmDlci0, .. UihAtOnDlci1, .. UaDlci0])
            frames.AddRange(decoder.Decode([octet]));
        Assert.Equal([CmuxFrameType.Sabm, CmuxFrameType.Uih, CmuxFrameType.Ua], frames.Select(f => f.Type));
    }

    [Fact]
    public void Decode_SharedFlagBetweenFrames_FindsBoth()
    {
        // The closing flag of one frame may open the next.
        byte[] line = [.. SabmDlci0[..^1], .. UaDlci0];
        Assert.Equal(2, new CmuxDecoder().Decode(line).Count);
    }

    [Fact]
    public void Decode_BadFcs_IsCountedAndDropped_NextFrameSurvives()
    {
        var damaged = (byte[])UihAtOnDlci1.Clone();
        damaged[1] ^= 0x04;   // the address now says DLCI 0... but the FCS does not agree
        var decoder = new CmuxDecoder();
        var frames = decoder.Decode([.. damaged, .. SabmDlci0]);
        Assert.Equal(CmuxFrameType.Sabm, Assert.Single(frames).Type);
        Assert.Equal(1, decoder.Counters.BadFcs);
        Assert.Equal(1, decoder.Counters.Frames);
    }

    [Fact]
    public void Decode_MoreThanN1_IsCountedAsOversizeAndDropped()
    {
        var frame = CmuxEncoder.Encode(2, true, CmuxFrameType.Uih, false, new byte[32]);
        var decoder = new CmuxDecoder(n1: 31);
        // The oversize frame is dropped at its length field; the next flag starts the hunt again.
        Assert.Equal(CmuxFrameType.Sabm, Assert.Single(decoder.Decode([.. frame, .. SabmDlci0])).Type);
        Assert.Equal(1, decoder.Counters.Oversize);
        Assert.Equal(1, decoder.Counters.Frames);
    }

    [Fact]
    public void Decode_TextBeforeTheFirstFlag_IsDiscarded()
    {
        var decoder = new CmuxDecoder();
        Assert.Single(decoder.Decode([.. "\r\nOK\r\n"u8, .. SabmDlci0]));
        Assert.Equal(6, decoder.Counters.DiscardedBytes);
    }

    [Fact]
    public void EncodeData_SplitsAtN1()
    {
        var data = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        var line = CmuxEncoder.EncodeData(2, true, data, n1: 31);
        var frames = new CmuxDecoder(31).Decode(line);
        Assert.Equal([31, 31, 31, 7], frames.Select(f => f.Information.Length));
        Assert.Equal(data, frames.SelectMany(f => f.Information.ToArray()));
    }

    [Fact]
    public void Msc_Layout_MatchesSection5_4_6_3_7()
    {
        // Type: MSC 0xE1 with C/R (command) = 0xE3 | Length: 2 (0x05) | DLCI 2 octet: EA, bit 2, DLCI<<2 = 0x0B
        // | Signals: EA, RTC, RTR, DV = 0x8D
        var message = CmuxControlMessage.ModemStatus(2, V24Signals.ReadyToCommunicate | V24Signals.ReadyToReceive | V24Signals.DataValid, isCommand: true);
        Assert.Equal([0xE3, 0x05, 0x0B, 0x8D], message.Encode());
        Assert.True(CmuxControlMessage.TryDecode([0xE3, 0x05, 0x0B, 0x0F], out var read, out var consumed));
        Assert.Equal(4, consumed);
        Assert.True(read!.IsCommand);
        Assert.True(read.TryGetModemStatus(out var dlci, out var signals));
        Assert.Equal(2, dlci);
        // DV clear: no carrier; FC set: stop sending.
        Assert.Equal(V24Signals.FlowControl | V24Signals.ReadyToCommunicate | V24Signals.ReadyToReceive, signals);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x01 }, CmuxMessageType.Cld, true)]    // CLD command, no value
    [InlineData(new byte[] { 0x41, 0x01 }, CmuxMessageType.Psc, false)]   // PSC response
    [InlineData(new byte[] { 0x23, 0x05, 0x01, 0x02 }, CmuxMessageType.Test, true)]   // Test command, 2 octets
    public void ControlMessages_RoundTrip(byte[] encoded, CmuxMessageType type, bool isCommand)
    {
        Assert.True(CmuxControlMessage.TryDecode(encoded, out var message, out _));
        Assert.Equal(type, message!.Type);
        Assert.Equal(isCommand, message.IsCommand);
        Assert.Equal(encoded, message.Encode());
    }

    [Fact]
    public void ControlMessage_UnknownType_KeepsItsOctetForNsc()
    {
        Assert.True(CmuxControlMessage.TryDecode([0xFF, 0x01], out var message, out _));
        Assert.Equal(0xFD, message!.RawType);
        Assert.Equal([0x11, 0x03, 0xFD], CmuxControlMessage.NotSupported(message.RawType).Encode());
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0xE3 })]
    [InlineData(new byte[] { 0xE3, 0x09, 0x0B })]   // says 4 octets, has 1
    [InlineData(new byte[] { 0xE2, 0x01 })]         // extended type field
    [InlineData(new byte[] { 0xE3, 0x00, 0x00, 0x00, 0x00 })]   // length never ends
    public void ControlMessage_ShortOrBroken_IsRefusedNotThrown(byte[] encoded) =>
        Assert.False(CmuxControlMessage.TryDecode(encoded, out _, out _));

    private static byte[] Vector(string name) => name switch
    {
        nameof(SabmDlci0) => SabmDlci0,
        nameof(UaDlci0) => UaDlci0,
        nameof(DiscDlci0) => DiscDlci0,
        nameof(SabmDlci1) => SabmDlci1,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
