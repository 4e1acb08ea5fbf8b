namespace LinkActors.Emulator.Profiles;

/// <summary>
/// What a particular modem says about itself and its network: the answers that differ between models.
/// The built-in profiles reproduce captured sessions; others can be made with a <c>with</c> expression.
/// </summary>
public sealed record ModemProfile
{
    /// <summary>Short name used on the command line (<c>bc66</c>, <c>generic-lte</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The lines ATI answers with, in order.</summary>
    public required IReadOnlyList<string> Identity { get; init; }

    public required string Manufacturer { get; init; }
    public required string Model { get; init; }
    public required string Revision { get; init; }
    public string Imei { get; init; } = "866425030000001";
    public string Imsi { get; init; } = "901405100000001";

    /// <summary>+CSQ while the radio is on: &lt;rssi&gt;,&lt;ber&gt;.</summary>
    public int SignalRssi { get; init; } = 20;
    public int SignalBer { get; init; } = 99;

    /// <summary>The PLMN in +COPS? (numeric format, as the fixture's modem reports it).</summary>
    public string OperatorNumeric { get; init; } = "26201";

    /// <summary>&lt;AcT&gt; in +COPS?: 7 E-UTRAN, 9 E-UTRAN NB-S1.</summary>
    public int AccessTechnology { get; init; } = 7;

    /// <summary>The status once registered: a roaming SIM (as with 1NCE) reports 5.</summary>
    public RegistrationStatus RegisteredStatus { get; init; } = RegistrationStatus.Home;

    /// <summary>The final result of a successful dial. Some modems append a rate, which chat scripts must tolerate.</summary>
    public string ConnectText { get; init; } = "CONNECT";

    /// <summary>Unsolicited lines after power-up or reset, each sent as CR LF line CR LF.</summary>
    public IReadOnlyList<string> ReadyLines { get; init; } = ["RDY"];

    /// <summary>Whether AT+CMUX=0,... (3GPP TS 27.010 basic option) is accepted; otherwise it answers ERROR.</summary>
    public bool SupportsCmux { get; init; }

    /// <summary>
    /// Quectel BC66 NB-IoT, firmware BC66NBR01A10, with a roaming 1NCE SIM on 26201: the answers of the
    /// field report in fixtures/bc66, byte for byte.
    /// </summary>
    public static ModemProfile Bc66 { get; } = new()
    {
        Name = "bc66",
        Identity = ["Quectel_Ltd", "Quectel_BC66", "Revision: BC66NBR01A10"],
        Manufacturer = "Quectel_Ltd",
        Model = "Quectel_BC66",
        Revision = "Revision: BC66NBR01A10",
        SignalRssi = 8,
        SignalBer = 0,
        OperatorNumeric = "26201",
        AccessTechnology = 9,
        RegisteredStatus = RegistrationStatus.Roaming,
        // No CMUX: AT+CMUX is not among the commands of Quectel's "BC66 AT Commands Manual" (the BC66 is an
        // NB-IoT module with one AT UART), and the field transcript in fixtures/bc66 never used it. This
        // could not be checked against the module itself here: the manual was not among the sources the
        // search tool reached, so it stays off until a real BC66 says otherwise.
        SupportsCmux = false,
    };

    /// <summary>A plain LTE modem on its home network.</summary>
    public static ModemProfile GenericLte { get; } = new()
    {
        Name = "generic-lte",
        Identity = ["LinkActors", "LinkActors Generic LTE", "Revision: 1.0"],
        Manufacturer = "LinkActors",
        Model = "LinkActors Generic LTE",
        Revision = "Revision: 1.0",
        SignalRssi = 20,
        SignalBer = 99,
        OperatorNumeric = "00101",
        AccessTechnology = 7,
        RegisteredStatus = RegistrationStatus.Home,
        // LTE modules generally do (Quectel EC2x/EG25, SIMCom SIM7600, u-blox, Telit: AT+CMUX per 27.007 §5.7).
        SupportsCmux = true,
    };

    public static IReadOnlyList<ModemProfile> All { get; } = [Bc66, GenericLte];

    /// <summary>Finds a built-in profile by <see cref="Name"/>, ignoring case.</summary>
    public static ModemProfile? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(p.Name.Replace("-", "", StringComparison.Ordinal), name, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => $"{Name} ({Model})";
}
