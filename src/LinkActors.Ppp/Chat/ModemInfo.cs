using System.Globalization;

namespace LinkActors.Ppp.Chat;

/// <summary>Registration status, the &lt;stat&gt; of +CREG/+CGREG/+CEREG (3GPP TS 27.007 §7.2, §10.1.20, §10.1.22).</summary>
public enum RegistrationStatus
{
    NotRegistered = 0,
    RegisteredHome = 1,
    Searching = 2,
    Denied = 3,
    Unknown = 4,
    RegisteredRoaming = 5,
    RegisteredSmsOnlyHome = 6,
    RegisteredSmsOnlyRoaming = 7,
    EmergencyOnly = 8,
    RegisteredCsfbNotPreferredHome = 9,
    RegisteredCsfbNotPreferredRoaming = 10,
}

/// <summary>Access technology, the &lt;AcT&gt; of +COPS and the registration commands (TS 27.007 §7.3).</summary>
public enum AccessTechnology
{
    Gsm = 0,
    GsmCompact = 1,
    Utran = 2,
    GsmEgprs = 3,
    UtranHsdpa = 4,
    UtranHsupa = 5,
    UtranHsdpaHsupa = 6,
    Lte = 7,
    EcGsmIot = 8,
    NbIot = 9,
    LteFiveGCore = 10,
    NrFiveGCore = 11,
    NgRan = 12,
    EutraNrDual = 13,
}

/// <summary>One +CREG / +CGREG / +CEREG answer (query or unsolicited form).</summary>
public sealed record NetworkRegistration(
    string Command,
    int? Mode,
    RegistrationStatus Status,
    string? Area,
    string? CellId,
    AccessTechnology? Technology)
{
    public bool IsRegistered => Status is RegistrationStatus.RegisteredHome or RegistrationStatus.RegisteredRoaming
        or RegistrationStatus.RegisteredSmsOnlyHome or RegistrationStatus.RegisteredSmsOnlyRoaming
        or RegistrationStatus.RegisteredCsfbNotPreferredHome or RegistrationStatus.RegisteredCsfbNotPreferredRoaming;
}

/// <summary>A +COPS? answer: mode (0 automatic, 1 manual, ...), format (0 long, 1 short, 2 numeric), operator, AcT.</summary>
public sealed record OperatorSelection(int Mode, int? Format, string? Operator, AccessTechnology? Technology);

/// <summary>
/// What the modem said about itself and the network during a chat script. Every field is null
/// when the modem did not say it. Pure parsing: the text comes from the interpreter or REPORT lines.
/// </summary>
public sealed record ModemInfo
{
    /// <summary>+CSQ &lt;rssi&gt;: 0..31, 99 unknown (TS 27.007 §8.5).</summary>
    public int? Rssi { get; init; }

    /// <summary>+CSQ &lt;ber&gt;: 0..7, 99 unknown.</summary>
    public int? BitErrorRate { get; init; }

    /// <summary>+CESQ: RSRP/RSRQ (LTE) and the older technologies' levels (TS 27.007 §8.69).</summary>
    public ExtendedSignal? ExtendedSignal { get; init; }

    /// <summary>+CGATT &lt;state&gt;: attached to the packet domain (TS 27.007 §10.1.9).</summary>
    public bool? PacketAttached { get; init; }

    /// <summary>The PDP contexts from +CGACT, +CGPADDR and +CGCONTRDP, by cid.</summary>
    public IReadOnlyList<PdpContext>? PdpContexts { get; init; }

    /// <summary>+CEREG: EPS (LTE, NB-IoT).</summary>
    public NetworkRegistration? EpsRegistration { get; init; }

    /// <summary>+CGREG: GPRS packet domain.</summary>
    public NetworkRegistration? GprsRegistration { get; init; }

    /// <summary>+CREG: circuit-switched domain.</summary>
    public NetworkRegistration? CircuitRegistration { get; init; }

    /// <summary>+COPS?.</summary>
    public OperatorSelection? Operator { get; init; }

    /// <summary>+CPIN: READY, SIM PIN, SIM PUK, ...</summary>
    public string? SimStatus { get; init; }

    /// <summary>From ATI (first line) or +CGMI.</summary>
    public string? Manufacturer { get; init; }

    /// <summary>From ATI (second line) or +CGMM.</summary>
    public string? Model { get; init; }

    /// <summary>From ATI ("Revision: ...") or +CGMR.</summary>
    public string? Revision { get; init; }

    /// <summary>From a labelled "IMEI:" line or +CGSN.</summary>
    public string? Imei { get; init; }

    /// <summary>Signal in dBm: -113 + 2 × rssi (rssi 0 is -113 or less, 31 is -51 or more); null when unknown.</summary>
    public int? SignalDbm => Rssi is >= 0 and <= 31 ? -113 + (2 * Rssi.Value) : null;

    /// <summary>The registration that says most: the first registered of EPS, GPRS, CS; else the first known.</summary>
    public NetworkRegistration? Registration =>
        new[] { EpsRegistration, GprsRegistration, CircuitRegistration }.FirstOrDefault(r => r is { IsRegistered: true })
        ?? EpsRegistration ?? GprsRegistration ?? CircuitRegistration;

    /// <summary>The access technology from +COPS, else from the registration.</summary>
    public AccessTechnology? Technology => Operator?.Technology ?? Registration?.Technology;

    /// <summary>Parses free text: a whole session as received, or REPORT lines.</summary>
    public static ModemInfo Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new ModemInfoParser();
        parser.Lines(text);
        return parser.Result;
    }

    /// <summary>Parses the interpreter's exchanges: the command sent tells whose answer a line is, even with echo off.</summary>
    public static ModemInfo Parse(IEnumerable<ChatExchange> exchanges)
    {
        ArgumentNullException.ThrowIfNull(exchanges);
        var parser = new ModemInfoParser();
        foreach (var exchange in exchanges)
        {
            parser.Command(exchange.Command);
            parser.Lines(exchange.Response);
        }

        return parser.Result;
    }

    /// <summary>This, with every field that <paramref name="newer"/> knows taken from it.</summary>
    public ModemInfo Merge(ModemInfo newer)
    {
        ArgumentNullException.ThrowIfNull(newer);
        return new ModemInfo
        {
            Rssi = newer.Rssi ?? Rssi,
            BitErrorRate = newer.BitErrorRate ?? BitErrorRate,
            ExtendedSignal = newer.ExtendedSignal ?? ExtendedSignal,
            PacketAttached = newer.PacketAttached ?? PacketAttached,
            PdpContexts = PdpContext.Merge(PdpContexts, newer.PdpContexts),
            EpsRegistration = newer.EpsRegistration ?? EpsRegistration,
            GprsRegistration = newer.GprsRegistration ?? GprsRegistration,
            CircuitRegistration = newer.CircuitRegistration ?? CircuitRegistration,
            Operator = newer.Operator ?? Operator,
            SimStatus = newer.SimStatus ?? SimStatus,
            Manufacturer = newer.Manufacturer ?? Manufacturer,
            Model = newer.Model ?? Model,
            Revision = newer.Revision ?? Revision,
            Imei = newer.Imei ?? Imei,
        };
    }

    /// <summary>
    /// In plain words, what is known:
    /// "signal -97 dBm (CSQ 8), registered roaming on 26201 (NB-IoT), SIM ready, Quectel BC66 rev BC66NBR01A10".
    /// </summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Rssi is { } rssi)
        {
            parts.Add(SignalDbm is { } dbm
                ? string.Create(CultureInfo.InvariantCulture, $"signal {dbm} dBm (CSQ {rssi})")
                : string.Create(CultureInfo.InvariantCulture, $"signal unknown (CSQ {rssi})"));
        }

        if (ExtendedSignal is { RsrpDbm: { } rsrp } extended)
        {
            parts.Add(extended.RsrqDb is { } rsrq
                ? string.Create(CultureInfo.InvariantCulture, $"RSRP {rsrp} dBm, RSRQ {rsrq:0.#} dB")
                : string.Create(CultureInfo.InvariantCulture, $"RSRP {rsrp} dBm"));
        }

        var technology = Technology is { } t ? $" ({Describe(t)})" : string.Empty;
        var operatorName = Operator?.Operator;
        if (Registration is { } registration)
        {
            var on = operatorName is null ? string.Empty : $" on {operatorName}";
            parts.Add(Describe(registration.Status) + on + technology);
        }
        else if (operatorName is not null)
        {
            parts.Add($"operator {operatorName}{technology}");
        }

        if (PacketAttached is { } attached)
        {
            parts.Add(attached ? "attached for data" : "not attached for data");
        }

        if (PdpContexts is { Count: > 0 } contexts)
        {
            parts.Add("PDP " + string.Join("; ", contexts.Select(c => c.Describe())));
        }

        if (SimStatus is { } sim)
        {
            parts.Add(sim switch
            {
                "READY" => "SIM ready",
                "SIM PIN" => "SIM needs its PIN",
                "SIM PUK" => "SIM needs its PUK",
                _ => $"SIM {sim}",
            });
        }

        if (DescribeIdentity() is { } identity)
        {
            parts.Add(identity);
        }

        return parts.Count == 0 ? "nothing known about the modem" : string.Join(", ", parts);
    }

    public static string Describe(RegistrationStatus status) => status switch
    {
        RegistrationStatus.NotRegistered => "not registered",
        RegistrationStatus.RegisteredHome => "registered home",
        RegistrationStatus.Searching => "searching",
        RegistrationStatus.Denied => "registration denied",
        RegistrationStatus.Unknown => "registration unknown",
        RegistrationStatus.RegisteredRoaming => "registered roaming",
        RegistrationStatus.RegisteredSmsOnlyHome => "registered home (SMS only)",
        RegistrationStatus.RegisteredSmsOnlyRoaming => "registered roaming (SMS only)",
        RegistrationStatus.EmergencyOnly => "emergency services only",
        RegistrationStatus.RegisteredCsfbNotPreferredHome => "registered home (CSFB not preferred)",
        RegistrationStatus.RegisteredCsfbNotPreferredRoaming => "registered roaming (CSFB not preferred)",
        _ => string.Create(CultureInfo.InvariantCulture, $"registration status {(int)status}"),
    };

    public static string Describe(AccessTechnology technology) => technology switch
    {
        AccessTechnology.Gsm => "GSM",
        AccessTechnology.GsmCompact => "GSM Compact",
        AccessTechnology.Utran => "UMTS",
        AccessTechnology.GsmEgprs => "EDGE",
        AccessTechnology.UtranHsdpa => "HSDPA",
        AccessTechnology.UtranHsupa => "HSUPA",
        AccessTechnology.UtranHsdpaHsupa => "HSPA",
        AccessTechnology.Lte => "LTE",
        AccessTechnology.EcGsmIot => "EC-GSM-IoT",
        AccessTechnology.NbIot => "NB-IoT",
        AccessTechnology.LteFiveGCore => "LTE on 5GC",
        AccessTechnology.NrFiveGCore => "NR on 5GC",
        AccessTechnology.NgRan => "NG-RAN",
        AccessTechnology.EutraNrDual => "EN-DC",
        _ => string.Create(CultureInfo.InvariantCulture, $"AcT {(int)technology}"),
    };

    /// <summary>"Quectel BC66 rev BC66NBR01A10" from "Quectel_Ltd", "Quectel_BC66", "BC66NBR01A10".</summary>
    private string? DescribeIdentity()
    {
        var vendor = Manufacturer?.Split(['_', ' '], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var model = Model?.Replace('_', ' ');
        string? name = (vendor, model) switch
        {
            (null, null) => null,
            (null, _) => model,
            (_, null) => vendor,

            // Quectel's model line already names the vendor; do not say it twice.
            _ when model!.StartsWith(vendor!, StringComparison.OrdinalIgnoreCase) => model,
            _ => $"{vendor} {model}",
        };
        if (Revision is null)
        {
            return name;
        }

        return name is null ? $"revision {Revision}" : $"{name} rev {Revision}";
    }
}
