using LinkActors.Ppp.Chat;
using LinkActors.Tests.Shared;

namespace LinkActors.Ppp.Tests.Chat;

/// <summary>What the modem said, read into <see cref="ModemInfo"/> and put in plain words.</summary>
public class ModemInfoTests
{
    [Fact]
    public void Parse_Bc66Answers_ReadsEveryField()
    {
        var text = string.Concat(Bc66Session.Answers().Select(a => a.Answer));

        var info = ModemInfo.Parse(text);

        Assert.Equal(8, info.Rssi);
        Assert.Equal(-97, info.SignalDbm);
        Assert.Equal(new NetworkRegistration("CGREG", 0, RegistrationStatus.RegisteredRoaming, null, null, null), info.GprsRegistration);
        Assert.Equal(new OperatorSelection(0, 2, "26201", AccessTechnology.NbIot), info.Operator);
        Assert.Equal(AccessTechnology.NbIot, info.Technology);
        Assert.Equal("READY", info.SimStatus);
        Assert.Equal(("Quectel_Ltd", "Quectel_BC66", "BC66NBR01A10"), (info.Manufacturer, info.Model, info.Revision));
        Assert.Equal("signal -97 dBm (CSQ 8), registered roaming on 26201 (NB-IoT), SIM ready, Quectel BC66 rev BC66NBR01A10", info.Describe());
    }

    [Theory]
    [InlineData(0, -113)]
    [InlineData(8, -97)]
    [InlineData(31, -51)]
    public void SignalDbm_FromRssi_IsMinus113PlusTwiceRssi(int rssi, int dbm)
    {
        Assert.Equal(dbm, ModemInfo.Parse($"+CSQ: {rssi},99").SignalDbm);
    }

    [Fact]
    public void Parse_CsqUnknown_HasNoDbm()
    {
        var info = ModemInfo.Parse("\r\n+CSQ: 99,99\r\n\r\nOK\r\n");

        Assert.Equal(99, info.Rssi);
        Assert.Null(info.SignalDbm);
        Assert.Equal("signal unknown (CSQ 99)", info.Describe());
    }

    [Fact]
    public void Parse_CeregUnsolicited_ReadsStatusAreaCellAndTechnology()
    {
        var info = ModemInfo.Parse("+CEREG: 5,\"1A2B\",\"01A2B3C4\",9");

        Assert.Equal(new NetworkRegistration("CEREG", null, RegistrationStatus.RegisteredRoaming, "1A2B", "01A2B3C4", AccessTechnology.NbIot), info.EpsRegistration);
        Assert.Equal("registered roaming (NB-IoT)", info.Describe());
    }

    [Fact]
    public void Parse_CeregQueryWithLocation_ReadsModeToo()
    {
        var info = ModemInfo.Parse("+CEREG: 2,1,\"1A2B\",\"01A2B3C4\",7");

        Assert.Equal(new NetworkRegistration("CEREG", 2, RegistrationStatus.RegisteredHome, "1A2B", "01A2B3C4", AccessTechnology.Lte), info.EpsRegistration);
    }

    [Theory]
    [InlineData("+CREG: 0,0", "not registered")]
    [InlineData("+CREG: 0,2", "searching")]
    [InlineData("+CREG: 0,3", "registration denied")]
    [InlineData("+CREG: 4", "registration unknown")]
    [InlineData("+CGREG: 1,1", "registered home")]
    [InlineData("+CEREG: 0,7", "registered roaming (SMS only)")]
    [InlineData("+CEREG: 0,42", "registration status 42")]
    public void Describe_RegistrationStatus_InWords(string line, string words)
    {
        Assert.Equal(words, ModemInfo.Parse(line).Describe());
    }

    [Fact]
    public void Registration_PrefersARegisteredDomain()
    {
        var info = ModemInfo.Parse("+CREG: 0,0\r\n+CGREG: 0,2\r\n+CEREG: 0,1\r\n+COPS: 0,0,\"Telekom.de\",7");

        Assert.Equal("CEREG", info.Registration?.Command);
        Assert.Equal("registered home on Telekom.de (LTE)", info.Describe());
    }

    [Fact]
    public void Parse_CopsNetworkList_IsNotTheCurrentOperator()
    {
        var info = ModemInfo.Parse("+COPS: (2,\"Telekom.de\",\"TDG\",\"26201\",9),(1,\"o2\",\"o2\",\"26203\",7),,(0,1,2),(0,2)");

        Assert.Null(info.Operator);
    }

    [Fact]
    public void Parse_CopsModeOnly_HasNoOperator()
    {
        var info = ModemInfo.Parse("+COPS: 2");

        Assert.Equal(new OperatorSelection(2, null, null, null), info.Operator);
    }

    [Theory]
    [InlineData("+CPIN: READY", "SIM ready")]
    [InlineData("+CPIN: SIM PIN", "SIM needs its PIN")]
    [InlineData("+CPIN: SIM PUK", "SIM needs its PUK")]
    [InlineData("+CPIN: PH-SIM PIN", "SIM PH-SIM PIN")]
    public void Describe_SimStatus_InWords(string line, string words)
    {
        Assert.Equal(words, ModemInfo.Parse(line).Describe());
    }

    [Fact]
    public void Parse_LabelledAtiWithEcho_ReadsLabels()
    {
        var info = ModemInfo.Parse("ATI\r\r\nManufacturer: SIMCOM INCORPORATED\r\nModel: SIMCOM_SIM7600E-H\r\nRevision: SIM7600M22_V1.1\r\nIMEI: 861234567890123\r\n\r\nOK\r\n");

        Assert.Equal("SIMCOM INCORPORATED", info.Manufacturer);
        Assert.Equal("SIMCOM_SIM7600E-H", info.Model);
        Assert.Equal("SIM7600M22_V1.1", info.Revision);
        Assert.Equal("861234567890123", info.Imei);
        Assert.Equal("SIMCOM SIM7600E-H rev SIM7600M22_V1.1", info.Describe());
    }

    [Fact]
    public void Parse_Exchanges_UseTheCommandForSingleLineIdentity()
    {
        var info = ModemInfo.Parse(
        [
            new ChatExchange("AT+CGMI", "\r\nQuectel\r\n\r\nOK\r\n"),
            new ChatExchange("AT+CGMM", "\r\nBG96\r\n\r\nOK\r\n"),
            new ChatExchange("AT+CGMR", "\r\nRevision: BG96MAR02A07M1G\r\n\r\nOK\r\n"),
        ]);

        Assert.Equal("Quectel BG96 rev BG96MAR02A07M1G", info.Describe());
    }

    [Fact]
    public void Parse_ErrorAnswer_IsNotTakenForIdentity()
    {
        var info = ModemInfo.Parse("ATI\r\r\nERROR\r\n\r\nOK\r\n");

        Assert.Null(info.Manufacturer);
    }

    [Fact]
    public void Parse_ReportLines_ReadLikeAnswers()
    {
        var info = ModemInfo.Parse("+CSQ: 20,99\n+CEREG: 0,1");

        Assert.Equal("signal -73 dBm (CSQ 20), registered home", info.Describe());
    }

    [Fact]
    public void Merge_NewerFieldsWin()
    {
        var older = ModemInfo.Parse("+CSQ: 8,0\r\n+CPIN: READY");
        var newer = ModemInfo.Parse("+CSQ: 12,0");

        var merged = older.Merge(newer);

        Assert.Equal(12, merged.Rssi);
        Assert.Equal("READY", merged.SimStatus);
    }

    [Fact]
    public void Describe_NothingKnown_SaysSo()
    {
        Assert.Equal("nothing known about the modem", ModemInfo.Parse("\r\nOK\r\n").Describe());
    }
}
