using System.Net;
using CsCheck;
using LinkActors.Ppp.Chat;

namespace LinkActors.Ppp.Tests.Chat;

/// <summary>
/// The modem's data-side answers (3GPP TS 27.007: +CESQ §8.69, +CGATT §10.1.9, +CGACT §10.1.10, +CGPADDR §10.1.14,
/// +CGCONTRDP §10.1.23) in the layouts modems send them, and the check of the PDP context's address against IPCP's.
/// </summary>
public class ModemDataAnswersTests
{
    [Fact]
    public void Parse_Cesq_Lte_ReadsRsrpAndRsrq_UnknownsAreNull()
    {
        // rxlev 99, ber 99, rscp 255, ecno 255 (not GSM/UMTS), rsrq 20 (-10 dB), rsrp 45 (-96 dBm).
        var info = ModemInfo.Parse("AT+CESQ\r\r\n+CESQ: 99,99,255,255,20,45\r\n\r\nOK\r\n");

        Assert.Equal(new ExtendedSignal(null, null, null, null, 20, 45), info.ExtendedSignal);
        Assert.Equal(-96, info.ExtendedSignal!.RsrpDbm);
        Assert.Equal(-10.0, info.ExtendedSignal.RsrqDb);
    }

    [Theory]
    [InlineData("+CESQ: 99,99,255,255,0,0", -141, -20.0)]
    [InlineData("+CESQ: 99,99,255,255,34,97", -44, -3.0)]
    [InlineData("+CESQ: 99,99,255,255,255,255", null, null)]
    // Release 13+ appends SINR fields: the first six still mean the same.
    [InlineData("+CESQ: 99,99,255,255,17,53,255,255,255", -88, -11.5)]
    public void Parse_Cesq_Bounds(string line, int? rsrpDbm, double? rsrqDb)
    {
        var signal = ModemInfo.Parse(line).ExtendedSignal!;

        Assert.Equal(rsrpDbm, signal.RsrpDbm);
        Assert.Equal(rsrqDb, signal.RsrqDb);
    }

    [Fact]
    public void Parse_CesqTestForm_IsNotASignal()
    {
        Assert.Null(ModemInfo.Parse("+CESQ: (0-63,99),(0-7,99),(0-96,255),(0-49,255),(0-34,255),(0-97,255)").ExtendedSignal);
    }

    [Theory]
    [InlineData("+CGATT: 1", true)]
    [InlineData("+CGATT: 0", false)]
    public void Parse_Cgatt(string line, bool attached)
    {
        Assert.Equal(attached, ModemInfo.Parse($"AT+CGATT?\r\r\n{line}\r\n\r\nOK\r\n").PacketAttached);
    }

    [Fact]
    public void Parse_CgactAndCgpaddr_OneContextPerCid()
    {
        // Quectel EC25 answers: two contexts defined, the first active with an address, the second inactive and empty.
        var info = ModemInfo.Parse(
            "AT+CGACT?\r\r\n+CGACT: 1,1\r\n+CGACT: 2,0\r\n\r\nOK\r\n" +
            "AT+CGPADDR\r\r\n+CGPADDR: 1,\"10.64.12.7\"\r\n+CGPADDR: 2,\"0.0.0.0\"\r\n\r\nOK\r\n");

        Assert.Equal(
            [new PdpContext(1, true, IPAddress.Parse("10.64.12.7")), new PdpContext(2, false)],
            info.PdpContexts!);
        Assert.Contains("PDP context 1 active, 10.64.12.7; context 2 inactive", info.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    // BC66 (cid 0, unquoted), an empty address, IPv4v6 with the IPv6 address as sixteen decimals, IPv6 in colon form.
    [InlineData("+CGPADDR: 0,10.1.2.3", 0, "10.1.2.3", null)]
    [InlineData("+CGPADDR: 1,", 1, null, null)]
    [InlineData("+CGPADDR: 1", 1, null, null)]
    [InlineData("+CGPADDR: 1,\"10.1.2.3\",\"32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.1\"", 1, "10.1.2.3", "2001:db8::1")]
    [InlineData("+CGPADDR: 3,\"2001:DB8::5\"", 3, null, "2001:db8::5")]
    public void Parse_Cgpaddr_Layouts(string line, int cid, string? v4, string? v6)
    {
        var context = Assert.Single(ModemInfo.Parse(line).PdpContexts!);

        Assert.Equal(cid, context.Cid);
        Assert.Equal(v4 is null ? null : IPAddress.Parse(v4), context.Address);
        Assert.Equal(v6 is null ? null : IPAddress.Parse(v6), context.Ipv6Address);
    }

    [Fact]
    public void Parse_Cgcontrdp_AddressWithMask_AndApn()
    {
        var info = ModemInfo.Parse(
            "+CGCONTRDP: 1,5,\"internet.telekom\",\"10.64.12.7.255.255.255.255\",\"10.64.12.1\",\"194.25.0.60\",\"194.25.0.68\",,,,0\r\nOK\r\n");

        Assert.Equal(new PdpContext(1, null, IPAddress.Parse("10.64.12.7"), null, "internet.telekom"), Assert.Single(info.PdpContexts!));
    }

    [Fact]
    public void Merge_KeepsContextsByCid_NewerFieldsWin()
    {
        var older = ModemInfo.Parse("+CGACT: 1,1\r\n+CGPADDR: 1,\"10.0.0.1\"");
        var newer = ModemInfo.Parse("+CGPADDR: 1,\"10.0.0.2\"\r\n+CGACT: 2,0");

        Assert.Equal([new PdpContext(1, true, IPAddress.Parse("10.0.0.2")), new PdpContext(2, false)], older.Merge(newer).PdpContexts!);
    }

    [Theory]
    [InlineData("+CGPADDR: 1,\"1.2.3\"")]
    [InlineData("+CGPADDR: x,\"10.0.0.1\"")]
    [InlineData("+CGPADDR: 1,\"300.1.1.1\"")]
    [InlineData("+CGCONTRDP: 1")]
    [InlineData("+CGACT: 1")]
    [InlineData("+CESQ: 1,2")]
    [InlineData("+CGATT:")]
    public void Parse_Malformed_IsIgnoredWithoutThrowing(string line)
    {
        var info = ModemInfo.Parse(line);

        Assert.True(info.PdpContexts is null or { Count: 1 } && info.PdpContexts?[0].Address is null);
        Assert.Null(info.ExtendedSignal);
        Assert.Null(info.PacketAttached);
    }

    [Fact]
    public void Check_AddressDiffersFromIpcp_IsTheNamedMismatch()
    {
        var answers = ModemInfo.Parse("+CGATT: 1\r\n+CGACT: 1,1\r\n+CGPADDR: 1,\"10.64.0.99\"");

        var finding = Assert.Single(ModemDataCheck.Examine(answers, IPAddress.Parse("192.0.2.2")));

        Assert.Equal(ModemDataCheck.AddressMismatch, finding.Code);
        Assert.Equal("the modem's data context is not the one PPP uses: IPCP gave PPP 192.0.2.2, but context 1 (active) has 10.64.0.99", finding.Text);
    }

    [Theory]
    [InlineData("+CGATT: 1\r\n+CGACT: 1,1\r\n+CGPADDR: 1,\"192.0.2.2\"")]
    // One of several contexts holding our address is ours.
    [InlineData("+CGPADDR: 1,\"10.9.9.9\"\r\n+CGPADDR: 2,\"192.0.2.2\"")]
    // No address known: nothing to compare.
    [InlineData("+CGACT: 1,0\r\n+CGPADDR: 1,\"0.0.0.0\"")]
    [InlineData("+CEREG: 0,1")]
    public void Check_NoMismatch(string text)
    {
        Assert.Empty(ModemDataCheck.Examine(ModemInfo.Parse(text), IPAddress.Parse("192.0.2.2")));
    }

    [Fact]
    public void Check_NoIpcpAddress_ComparesNothing()
    {
        Assert.Empty(ModemDataCheck.Examine(ModemInfo.Parse("+CGPADDR: 1,\"10.64.0.99\""), null));
    }

    [Fact]
    public void Check_Detached_IsNamed()
    {
        var finding = Assert.Single(ModemDataCheck.Examine(ModemInfo.Parse("+CGATT: 0"), IPAddress.Parse("192.0.2.2")));

        Assert.Equal(ModemDataCheck.NotAttached, finding.Code);
    }

    [Fact]
    public void Parse_RandomDataAnswers_NeverThrow()
    {
        var prefix = Gen.OneOfConst("+CESQ: ", "+CGATT: ", "+CGACT: ", "+CGPADDR: ", "+CGCONTRDP: ");
        var line = prefix.SelectMany(p => Gen.String[Gen.Char["0123456789.,\":aAfF( )-"], 0, 80].Select(t => p + t));
        line.Array[1, 8].Sample(lines =>
        {
            var info = ModemInfo.Parse(string.Join("\r\n", lines));
            _ = info.Describe();
            _ = info.Merge(info);
            _ = ModemDataCheck.Examine(info, IPAddress.Parse("192.0.2.2"));
        });
    }
}
