using System.Globalization;

namespace LinkActors.Ppp.Chat;

/// <summary>
/// Reads modem answers line by line. Information responses ("+CSQ: 8,0") are recognised anywhere;
/// plain lines are collected until OK and then read as the answer to the command that was echoed
/// or sent (ATI, +CGMI, ...). With echo off and no command known, a block of plain lines before OK
/// is taken as ATI's answer, since no other usual command answers with plain text.
/// </summary>
internal sealed class ModemInfoParser
{
    private readonly List<string> _block = [];
    private string? _command;
    private bool _blockHasResponse;

    public ModemInfo Result { get; private set; } = new();

    public void Command(string command)
    {
        _command = Normalise(command);
        _block.Clear();
        _blockHasResponse = false;
    }

    public void Lines(string text)
    {
        foreach (var raw in text.Split(['\r', '\n']))
        {
            Line(raw.Trim());
        }
    }

    private void Line(string line)
    {
        if (line.Length == 0)
        {
            return;
        }

        if (IsEcho(line))
        {
            Command(line);
            return;
        }

        if (line == "OK")
        {
            EndBlock();
            return;
        }

        if (line is "ERROR" || line.StartsWith("+CME ERROR", StringComparison.Ordinal) || line.StartsWith("+CMS ERROR", StringComparison.Ordinal))
        {
            _block.Clear();
            _blockHasResponse = false;
            _command = null;
            return;
        }

        if (line.StartsWith('+'))
        {
            _blockHasResponse = true;
            Response(line);
            return;
        }

        _block.Add(line);
    }

    private void EndBlock()
    {
        var command = _command;
        _command = null;
        var block = _block.ToList();
        var hasResponse = _blockHasResponse;
        _block.Clear();
        _blockHasResponse = false;
        if (block.Count == 0)
        {
            return;
        }

        switch (command)
        {
            case "ATI" or "ATI0":
                Identity(block);
                break;
            case "AT+CGMI" or "AT+GMI":
                Result = Result with { Manufacturer = block[0] };
                break;
            case "AT+CGMM" or "AT+GMM":
                Result = Result with { Model = block[0] };
                break;
            case "AT+CGMR" or "AT+GMR":
                Result = Result with { Revision = StripLabel(block[0]) };
                break;
            case "AT+CGSN" or "AT+GSN":
                Result = Result with { Imei = block[0] };
                break;
            case null when !hasResponse && Result.Manufacturer is null && Result.Model is null:
                Identity(block);
                break;
        }
    }

    /// <summary>ATI: labelled lines ("Revision: x", "Model: y") where given, else manufacturer, model, revision in order.</summary>
    private void Identity(List<string> block)
    {
        string? manufacturer = null, model = null, revision = null, imei = null;
        var unlabelled = new List<string>();
        foreach (var line in block)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var label = colon > 0 ? line[..colon].Trim() : string.Empty;
            var value = colon > 0 ? line[(colon + 1)..].Trim() : line;
            switch (label.ToUpperInvariant())
            {
                case "MANUFACTURER": manufacturer = value; break;
                case "MODEL": model = value; break;
                case "REVISION": revision = value; break;
                case "IMEI": imei = value; break;
                default: unlabelled.Add(line); break;
            }
        }

        manufacturer ??= unlabelled.ElementAtOrDefault(0);
        model ??= unlabelled.ElementAtOrDefault(1);
        revision ??= unlabelled.ElementAtOrDefault(2);
        Result = Result with
        {
            Manufacturer = manufacturer ?? Result.Manufacturer,
            Model = model ?? Result.Model,
            Revision = revision ?? Result.Revision,
            Imei = imei ?? Result.Imei,
        };
    }

    private void Response(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return;
        }

        var name = line[..colon].Trim().ToUpperInvariant();
        var value = line[(colon + 1)..].Trim();
        var fields = Fields(value);
        switch (name)
        {
            case "+CSQ" when fields.Count >= 1 && Int(fields[0]) is { } rssi:
                Result = Result with { Rssi = rssi, BitErrorRate = fields.Count > 1 ? Int(fields[1]) : null };
                break;
            case "+CREG" or "+CGREG" or "+CEREG" when Registration(name[1..], fields) is { } registration:
                Result = name switch
                {
                    "+CEREG" => Result with { EpsRegistration = registration },
                    "+CGREG" => Result with { GprsRegistration = registration },
                    _ => Result with { CircuitRegistration = registration },
                };
                break;

            // "+COPS: (2,...),(...)" is the answer to AT+COPS=?, a list of networks, not the current one.
            case "+COPS" when !value.StartsWith('(') && fields.Count >= 1 && Int(fields[0]) is { } mode:
                Result = Result with
                {
                    Operator = new OperatorSelection(
                        mode,
                        fields.Count > 1 ? Int(fields[1]) : null,
                        fields.Count > 2 && fields[2].Text.Length > 0 ? fields[2].Text : null,
                        fields.Count > 3 ? Technology(fields[3]) : null),
                };
                break;
            // TS 27.007 §8.69: +CESQ: <rxlev>,<ber>,<rscp>,<ecno>,<rsrq>,<rsrp> (later releases append more).
            case "+CESQ" when fields.Count >= 6 && !value.StartsWith('('):
                Result = Result with
                {
                    ExtendedSignal = new ExtendedSignal(Known(fields[0], 99), Known(fields[1], 99), Known(fields[2], 255),
                        Known(fields[3], 255), Known(fields[4], 255), Known(fields[5], 255)),
                };
                break;

            // §10.1.9: +CGATT: <state>.
            case "+CGATT" when !value.StartsWith('(') && fields.Count >= 1 && Int(fields[0]) is { } attached:
                Result = Result with { PacketAttached = attached == 1 };
                break;

            // §10.1.10: one line per defined context, +CGACT: <cid>,<state>.
            case "+CGACT" when !value.StartsWith('(') && fields.Count >= 2 && Int(fields[0]) is { } cid && Int(fields[1]) is { } state:
                AddContext(new PdpContext(cid, Active: state == 1));
                break;

            // §10.1.14: +CGPADDR: <cid>[,<PDP_addr_1>[,<PDP_addr_2>]] (IPv4v6: both; an empty or 0.0.0.0 address: none yet).
            case "+CGPADDR" when !value.StartsWith('(') && fields.Count >= 1 && Int(fields[0]) is { } cid:
            {
                var addresses = fields.Skip(1).Select(f => Address(f.Text)).Where(a => a is not null).ToList();
                AddContext(new PdpContext(cid,
                    Address: addresses.FirstOrDefault(a => a!.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork),
                    Ipv6Address: addresses.FirstOrDefault(a => a!.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)));
                break;
            }

            // §10.1.23: +CGCONTRDP: <cid>,<bearer_id>,<apn>[,<local_addr and subnet_mask>[,<gw_addr>[,<DNS_prim_addr>...]]].
            case "+CGCONTRDP" when !value.StartsWith('(') && fields.Count >= 3 && Int(fields[0]) is { } cid:
            {
                var local = fields.Count > 3 ? Address(fields[3].Text) : null;
                AddContext(new PdpContext(cid,
                    Address: local?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? local : null,
                    Ipv6Address: local?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? local : null,
                    Apn: fields[2].Text.Length > 0 ? fields[2].Text : null));
                break;
            }

            case "+CPIN" when value.Length > 0:
                Result = Result with { SimStatus = value.Trim('"') };
                break;
            case "+CGSN" when fields.Count >= 1 && fields[0].Text.Length > 0:
                Result = Result with { Imei = fields[0].Text };
                break;
        }
    }

    /// <summary>
    /// Query form "+CEREG: n,stat[,tac,ci[,AcT]]" or unsolicited "+CEREG: stat[,tac,ci[,AcT]]": the
    /// second field is a bare number only in the query form (tac/lac are quoted).
    /// </summary>
    private static NetworkRegistration? Registration(string command, List<Field> fields)
    {
        if (fields.Count == 0)
        {
            return null;
        }

        int? mode = null;
        int rest;
        int? status;
        if (fields.Count >= 2 && !fields[1].Quoted && Int(fields[1]) is { } stat)
        {
            mode = Int(fields[0]);
            status = stat;
            rest = 2;
        }
        else
        {
            status = Int(fields[0]);
            rest = 1;
        }

        if (status is null)
        {
            return null;
        }

        string? Text(int index) => index < fields.Count && fields[index].Text.Length > 0 ? fields[index].Text : null;
        return new NetworkRegistration(
            command,
            mode,
            (RegistrationStatus)status.Value,
            Text(rest),
            Text(rest + 1),
            rest + 2 < fields.Count ? Technology(fields[rest + 2]) : null);
    }

    private void AddContext(PdpContext context) =>
        Result = Result with { PdpContexts = PdpContext.Merge(Result.PdpContexts, [context]) };

    /// <summary>A number, or null when it is the field's "not known" value.</summary>
    private static int? Known(Field field, int unknown) => Int(field) is { } value && value != unknown ? value : null;

    /// <summary>
    /// An address as 27.007 writes them: IPv4 dotted ("10.1.2.3"), IPv6 as colons, or (without +CGPIAF) as
    /// sixteen dot-separated decimals; +CGCONTRDP appends the subnet mask (8 or 32 numbers): the first half is
    /// the address. 0.0.0.0 and :: are no address.
    /// </summary>
    internal static System.Net.IPAddress? Address(string text)
    {
        text = text.Trim();
        if (text.Length == 0)
            return null;
        System.Net.IPAddress? address = null;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            // "2001:db8::1 ffff:ffff::" (address and mask in colon form, space-separated).
            _ = System.Net.IPAddress.TryParse(text.Split(' ')[0], out address);
        }
        else
        {
            var numbers = text.Split('.');
            var octets = new byte[numbers.Length];
            for (int i = 0; i < numbers.Length; i++)
            {
                if (!byte.TryParse(numbers[i], NumberStyles.None, CultureInfo.InvariantCulture, out octets[i]))
                    return null;
            }
            address = octets.Length switch
            {
                4 or 8 => new System.Net.IPAddress(octets.AsSpan(0, 4)),
                16 or 32 => new System.Net.IPAddress(octets.AsSpan(0, 16)),
                _ => null,
            };
        }
        if (address is null || address.Equals(System.Net.IPAddress.Any) || address.Equals(System.Net.IPAddress.IPv6Any))
            return null;
        return address;
    }

    private static AccessTechnology? Technology(Field field) => Int(field) is { } act ? (AccessTechnology)act : null;

    private static int? Int(Field field) =>
        int.TryParse(field.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static List<Field> Fields(string value)
    {
        var fields = new List<Field>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i < value.Length && value[i] == '"')
            {
                quoted = !quoted;
            }
            else if (i == value.Length || (value[i] == ',' && !quoted))
            {
                var text = value[start..i].Trim();
                var isQuoted = text.Length >= 2 && text[0] == '"' && text[^1] == '"';
                fields.Add(new Field(isQuoted ? text[1..^1] : text, isQuoted));
                start = i + 1;
            }
        }

        return fields;
    }

    /// <summary>An echoed command: "AT..." with no spaces (identity lines such as "ATMEL Corp" have some).</summary>
    private static bool IsEcho(string line) =>
        line.Length >= 2 && line.StartsWith("AT", StringComparison.OrdinalIgnoreCase) && !line.Contains(' ', StringComparison.Ordinal);

    private static string Normalise(string command) => command.Trim().ToUpperInvariant();

    private static string StripLabel(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && line[..colon].Trim().Equals("Revision", StringComparison.OrdinalIgnoreCase) ? line[(colon + 1)..].Trim() : line;
    }

    private readonly record struct Field(string Text, bool Quoted);
}
