using System.Globalization;
using System.Text.RegularExpressions;
using LinkActors.Host.Management;
using LinkActors.Ppp.Chat;

namespace LinkActors.Host.Doctor;

/// <summary>
/// Explains a link's state in plain words: a pure function of <see cref="DoctorFacts"/>, so every rule
/// can be tested from a hand-made set of facts. Each rule that applies adds a finding with its
/// evidence, its likely causes and the next things to try; the worst finding is the summary.
/// </summary>
public static partial class LinkDoctor
{
    /// <summary>CSQ 9 (-95 dBm) and below: data calls set up slowly and drop; CSQ 4 (-105 dBm) and below: barely usable.</summary>
    public const int WeakSignalDbm = -95;
    public const int VeryWeakSignalDbm = -105;

    public static Diagnosis Examine(DoctorFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var link = facts.Link;
        var failure = link.Failure ?? link.LastFailure;
        var findings = new List<Finding>();
        // What the modem said after the dead data path explains it best: it comes first.
        foreach (var finding in ModemCheckFindings(link))
            Add(findings, finding);
        Add(findings, DeadDataPath(facts, failure));
        Add(findings, Registration(link, failure));
        Add(findings, Signal(link));
        Add(findings, Sim(link));
        if (failure is not null && findings.All(f => f.Code != "dead-data-path"))
            Add(findings, FromFailure(link, failure));
        Add(findings, NegotiationLooping(facts));
        Add(findings, GaveUp(link));
        if (findings.All(f => f.Severity < Severity.Warning))
            Add(findings, Healthy(facts));
        var ordered = findings.OrderByDescending(f => f.Severity).ToList();
        var worst = ordered.Count == 0 ? Severity.Ok : ordered[0].Severity;
        string summary = ordered.Count == 0 ? $"{link.Name}: nothing to say" : $"{link.Name}: {ordered[0].Title}";
        return new Diagnosis(link.Name, worst, summary, ordered);
    }

    private static void Add(List<Finding> findings, Finding? finding)
    {
        if (finding is not null && findings.All(f => f.Code != finding.Code))
            findings.Add(finding);
    }

    /// <summary>PPP is up and sending, and nothing comes back: the modem (or whatever answers LCP) is fine, the path behind it is not.</summary>
    private static Finding? DeadDataPath(DoctorFacts facts, FailureView? failure)
    {
        var link = facts.Link;
        var evidence = new List<string>();
        if (failure?.Code == "dead-data-path")
            evidence.Add($"the link ended or is ending with: {failure.Message}");
        foreach (var e in facts.Events.Where(e => e.Type.Contains("DeadDataPath", StringComparison.OrdinalIgnoreCase) || e.Type == nameof(Actors.Link.LinkProtocol.DataPathDead) || e.Summary.Contains("dead data path", StringComparison.OrdinalIgnoreCase)).TakeLast(1))
            evidence.Add($"event {e.Type}: {e.Summary}");
        if (link.Phase == "Network" && link.Traffic is { } now)
        {
            if (facts.EarlierTraffic is { } before && now.PacketsSent > before.PacketsSent && now.PacketsReceived == before.PacketsReceived)
            {
                string over = facts.SampleInterval is { } interval ? string.Create(CultureInfo.InvariantCulture, $" in {interval.TotalSeconds:0.#} s") : "";
                evidence.Add(string.Create(CultureInfo.InvariantCulture,
                    $"IP packets sent went from {before.PacketsSent} to {now.PacketsSent}{over}, and packets received stayed at {now.PacketsReceived}"));
            }
            else if (facts.EarlierTraffic is null && now.PacketsSent >= 5 && now.PacketsReceived == 0)
            {
                evidence.Add(string.Create(CultureInfo.InvariantCulture, $"{now.PacketsSent} IP packets sent since the link came up, none received"));
            }
        }
        if (evidence.Count == 0)
            return null;
        if (link.Layers.TryGetValue("LCP", out var lcp) && lcp == "Opened")
            evidence.Add("LCP is Opened and answering: the line to the modem works");
        if (link.Line is { } line)
            evidence.Add(string.Create(CultureInfo.InvariantCulture, $"line: {line.FramesSent} frames sent, {line.FramesReceived} received (control protocols included)"));
        evidence.AddRange(WatchdogEvidence(link));
        var causes = new List<string>
        {
            "the APN or the PDP context: the modem attached to the network, but its data context is wrong or not active (AT+CGDCONT?, AT+CGACT?; a wrong APN often still gives CONNECT)",
            "the modem's firmware in data mode: some modules answer LCP themselves and lose the IP they should pass on (known on early BC66 firmware); a firmware update or a different dial command (ATD*99***1#) helps",
            "compression or framing options the modem mishandles: address/control or protocol field compression, or an ACCM it does not honor",
            "the network: the SIM has no data plan left, or is barred for data while still allowed to register",
        };
        if (link.Modem is { Registered: false })
            causes.Insert(0, "the modem is no longer registered: the network detached it while PPP kept running");
        if (link.ModemCheck is { } check)
            evidence.Add($"asked after the hang-up, the modem said: {check.Answers}");
        return new Finding("dead-data-path", Severity.Problem, "dead data path: PPP is up and sending, but nothing comes back",
            "LCP and IPCP completed and the link sends IP packets, but none arrive. The modem answers LCP itself, so PPP looks healthy; "
            + "the fault is between the modem and the network, not on the serial line.",
            evidence, causes,
            [
                "check the registration now (AT+CEREG? / AT+CGREG?) and the data context (AT+CGDCONT?, AT+CGACT?): is the APN the operator's?",
                .. ConservativeOptions(link, "", "which some modems need in data mode"),
                "reset the modem (linkactors redial, or AT+CFUN=1,1) and compare the firmware revision with the vendor's latest",
                "ask the operator whether the SIM has data service (the 1NCE or carrier portal shows data sessions)",
            ]);
    }

    /// <summary>"the modem's data context is not the one PPP uses: IPCP gave ..." without the part the title already says.</summary>
    private static string Sentence(string text)
    {
        int colon = text.IndexOf(": ", StringComparison.Ordinal);
        string rest = colon < 0 ? text : text[(colon + 2)..];
        return rest.Length == 0 ? text : char.ToUpperInvariant(rest[0]) + rest[1..];
    }

    /// <summary>The named findings of the modem's answers after the last dead data path (issue 19), with those answers as evidence.</summary>
    private static IEnumerable<Finding> ModemCheckFindings(LinkView link)
    {
        if (link.ModemCheck is not { } check)
            yield break;
        var evidence = new List<string> { $"the modem's answers: {check.Answers}" };
        evidence.AddRange(check.Answered.Select(a => $"asked {a}"));
        if (check.IpcpAddress is { } ours)
            evidence.Add($"IPCP had given PPP the address {ours}");
        foreach (var finding in check.Findings)
        {
            yield return finding.Code switch
            {
                ModemDataCheck.AddressMismatch => new Finding(finding.Code, Severity.Problem,
                    "the modem's data context is not the one PPP uses",
                    Sentence(finding.Text) + ". The modem carries PPP's packets into a PDP context whose address is not PPP's (a context left over "
                    + "from an earlier call or activated outside PPP), so the network drops what we send and nothing comes back.",
                    [.. evidence],
                    [
                        "a PDP context activated before the dial (AT+CGACT=1,1 in a script, or the modem's own auto-connect) that PPP's dial did not replace",
                        "the modem kept a stale context after an earlier call or a network-side detach",
                    ],
                    [
                        "deactivate the stale context before dialing: add \"AT+CGACT=0,1\" OK to the connect script before ATD",
                        "turn off the modem's own data auto-connect (vendor specific, e.g. Quectel AT+QCFG), so only PPP activates the context",
                        "reset the modem (AT+CFUN=1,1): the ladder's modem-reset step does this",
                    ]),
                _ => new Finding(finding.Code, Severity.Problem, "the modem is not attached for data", finding.Text + ".",
                    [.. evidence],
                    ["the network detached the modem from the packet domain", "the SIM's data service is barred or used up"],
                    ["AT+CGATT=1 to attach, then watch AT+CGATT? and AT+CEREG?", "ask the operator whether the SIM has data service"]),
            };
        }
    }

    private static Finding? Registration(LinkView link, FailureView? failure)
    {
        var modem = link.Modem;
        bool failedForIt = failure?.Code == "not-registered";
        if (modem is not { Registered: false } && !failedForIt)
            return null;
        var evidence = new List<string>();
        if (modem?.Registration is { } registration)
            evidence.Add($"the modem last said: {registration}{(modem.Operator is { } op ? $" (operator {op})" : "")}");
        if (failedForIt)
            evidence.Add($"the link failed with: {failure!.Message}");
        if (failure?.Code == "connect-failed" && ChatAbort(failure.Message) is { } said)
            evidence.Add($"the dial ended with {said}: a modem that is not registered refuses data calls");
        bool denied = modem?.RegistrationStatus == "Denied";
        if (denied)
        {
            return new Finding("registration-denied", Severity.Problem, "registration denied: the network refuses this SIM",
                "The modem found a network, and the network refused to register it. No data call can succeed until it does.",
                evidence,
                [
                    "roaming is not allowed for this SIM on this network (a roaming IoT SIM needs the operator to be in its roaming list)",
                    "the SIM is not activated, is barred, or its plan has run out",
                    "the radio technology or band is not one the SIM may use (NB-IoT vs LTE-M)",
                ],
                [
                    "check the SIM's state in the operator's portal",
                    "try another operator manually: AT+COPS=? then AT+COPS=1,2,\"MCCMNC\"",
                    "check the bands and technologies the module searches (Quectel: AT+QBAND, AT+QCFG=\"nwscanmode\")",
                ]);
        }
        return new Finding("not-registered", Severity.Problem, "not registered with the network",
            "The modem is not registered with a cellular network, so its data calls fail (ATD answers NO CARRIER or ERROR).",
            evidence,
            [
                "no coverage, or weak signal where the device is",
                "the modem is still searching (after power-up it can take minutes on NB-IoT)",
                "the SIM is not inserted, needs a PIN, or is not allowed on the networks in range",
                "the antenna is missing or loose",
            ],
            [
                "watch the registration: AT+CEREG? (LTE/NB-IoT), AT+CGREG? (GPRS); stat 2 is searching, 3 denied",
                "check the signal (AT+CSQ; 99 means no signal) and the antenna",
                "let the link redial: it keeps trying with backoff (persist), or raise the connect script's timeouts for a slow attach",
            ]);
    }

    private static Finding? Signal(LinkView link)
    {
        if (link.Modem is not { } modem)
            return null;
        if (modem.Rssi == 99)
        {
            return new Finding("no-signal", Severity.Problem, "no signal (CSQ 99)",
                "The modem measured no usable signal.", [$"AT+CSQ: {modem.Rssi}"],
                ["no coverage here", "antenna missing, loose or on the wrong port", "the radio is off (AT+CFUN?)"],
                ["check the antenna and AT+CFUN?", "move the device or use an external antenna"]);
        }
        if (modem.SignalDbm is not { } dbm || dbm > WeakSignalDbm)
            return null;
        bool veryWeak = dbm <= VeryWeakSignalDbm;
        return new Finding("weak-signal", veryWeak ? Severity.Warning : Severity.Info,
            string.Create(CultureInfo.InvariantCulture, $"{(veryWeak ? "very weak" : "weak")} signal: {dbm} dBm (CSQ {modem.Rssi})"),
            veryWeak
                ? "At this level data calls set up slowly, drop, or never get through; registration may come and go."
                : "Usable, but calls may set up slowly and throughput suffers; NB-IoT copes better than LTE at this level.",
            [string.Create(CultureInfo.InvariantCulture, $"signal {dbm} dBm (CSQ {modem.Rssi}), {modem.Technology ?? "technology unknown"}")],
            ["distance to the cell or obstruction", "antenna placement or cable"],
            ["improve the antenna (placement, external antenna)", "watch linkactors_modem_signal_dbm over time"]);
    }

    private static Finding? Sim(LinkView link)
    {
        if (link.Modem?.Sim is not { } sim || sim == "READY")
            return null;
        return new Finding("sim", Severity.Problem, $"the SIM is not ready ({sim})",
            "The modem cannot use the SIM, so it cannot register.", [$"AT+CPIN?: {sim}"],
            ["the SIM needs its PIN (or PUK after wrong PINs)", "the SIM is missing or not seated"],
            ["enter the PIN in the connect script (AT+CPIN=\"....\") or disable it on the SIM", "reseat the SIM"]);
    }

    private static Finding? FromFailure(LinkView link, FailureView failure) => failure.Code switch
    {
        "connect-failed" => ChatFailed(link, failure),
        "auth-to-peer-failed" => new Finding("auth-refused", Severity.Problem, "authentication refused by the peer",
            "The peer (the network's PPP server) refused the name and password we sent.",
            [failure.Message],
            ["wrong auth.user or auth.password for this APN", "the peer wants PAP and we refuse it (refuse-pap), or the other way round"],
            ["check the credentials the operator documents for the APN (many IoT APNs take any)", "try with refuse-pap = false / refuse-chap = false",
             "run with --debug to see the PAP/CHAP exchange"]),
        "peer-auth-failed" => new Finding("auth-refused", Severity.Problem, "the peer failed to authenticate itself",
            "We asked the peer to authenticate and it failed.", [failure.Message],
            ["the peer's name or secret is not in auth.secrets", "the peer does not support the protocol we require"],
            ["check auth.secrets and auth.require", "run with --debug to see the exchange"]),
        "negotiation-failed" => Negotiation(link, failure),
        "peer-dead" => new Finding("peer-dead", Severity.Problem, "LCP echo lost: the peer stopped answering",
            "The link was up, then LCP Echo-Requests went unanswered until the echo-failure limit, so the link was ended. "
            + "With a cellular modem this usually means the radio bearer went away while the modem kept the serial line up.",
            [failure.Message],
            ["the modem lost registration or coverage without dropping carrier", "the modem hung in data mode", "the echo limits are too tight for a slow link (NB-IoT round trips can exceed seconds)"],
            ["check registration and signal after the drop", "raise lcp.echo-interval / echo-failure, or use echo-adaptive = true", "wire DCD and set local = false so a dropped call is seen at once"]),
        "open-failed" => new Finding("device", Severity.Problem, "the device could not be opened",
            "The serial device of the link could not be opened, so nothing was dialed.", [failure.Message],
            ["the device path does not exist (the modem did not enumerate, or it moved: ttyUSB numbers change)", "permission denied (the daemon's user needs the dialout group, or the unit's DeviceAllow)",
             "another program holds it (ModemManager)"],
            ["ls -l the device; prefer a /dev/serial/by-id/ path", "check dmesg for the modem's USB enumeration", "stop or mask ModemManager for this modem"]),
        "lock-failed" => new Finding("device", Severity.Problem, "the device is locked by another process",
            "A UUCP lock file says another process uses the device.", [failure.Message],
            ["pppd, minicom or another linkactors still runs on it", "a stale lock file after a crash (normally removed automatically)"],
            ["find the owner: cat the lock file in lock-directory and check that pid", "stop the other program"]),
        "hangup" => new Finding("hangup", Severity.Warning, "the modem hung up",
            "The modem dropped the call (carrier lost or the device went away).", [failure.Message],
            ["the network ended the data call", "the modem reset or lost USB power", "weak signal"],
            ["check dmesg for USB resets", "check signal and registration"]),
        "loopback" => new Finding("loopback", Severity.Problem, "the line is looped back",
            "Our own LCP packets came back: the modem is echoing, not connected to a PPP peer.", [failure.Message],
            ["the modem is still in command mode with echo on (the connect script ended too early)", "the dial did not really connect"],
            ["check the connect script expects CONNECT before PPP starts"]),
        "user-request" => null,
        _ => new Finding(failure.Code, Severity.Warning, $"the link ended: {failure.Code}", failure.Message, [failure.Message], [], ["run with --debug for the full trace"]),
    };

    private static Finding ChatFailed(LinkView link, FailureView failure)
    {
        var evidence = new List<string> { failure.Message };
        string title;
        string explanation;
        List<string> causes;
        var abort = ChatAbortMatch().Match(failure.Message);
        var timeout = ChatTimeoutMatch().Match(failure.Message);
        if (abort.Success)
        {
            string said = abort.Groups["said"].Value;
            string expected = abort.Groups["expected"].Value;
            title = $"the connect script failed: the modem said {said} while we waited for {expected}";
            explanation = $"The chat script stopped on its ABORT string {said}.";
            causes = said switch
            {
                _ when said.Contains("NO CARRIER", StringComparison.Ordinal) =>
                    ["the network refused the data call: not registered, wrong APN, or the PDP context could not be activated", "weak signal"],
                _ when said.Contains("ERROR", StringComparison.Ordinal) =>
                    ["the modem rejected a command in the script (a command this model does not know, or a SIM/PIN problem)"],
                _ when said.Contains("BUSY", StringComparison.Ordinal) => ["the modem is busy with another call or context"],
                _ => ["the modem refused the dial"],
            };
        }
        else if (timeout.Success)
        {
            string expected = timeout.Groups["expected"].Value;
            title = $"the connect script timed out waiting for {expected}";
            explanation = expected.Contains("CONNECT", StringComparison.Ordinal)
                ? "The modem accepted the dial but never connected."
                : "The modem did not answer a command in time.";
            causes = expected.Contains("OK", StringComparison.Ordinal)
                ? ["the modem is off, hung, or booting", "wrong device (many modems have several ttys; only one takes AT commands and data)", "wrong speed or flow control"]
                : ["the network is slow to set up the call, or not answering", "weak signal"];
        }
        else
        {
            title = "the connect script failed";
            explanation = "The chat script did not reach CONNECT.";
            causes = ["see the transcript with --debug"];
        }
        if (link.Modem?.Summary is { } modem)
            evidence.Add($"the modem said: {modem}");
        return new Finding("chat-failed", Severity.Problem, title, explanation, evidence, causes,
            ["run with --debug to see the script's transcript, step by step", "try the commands by hand (e.g. with `linkactors emulate-modem`'s profile as reference, or minicom)",
             "check registration (AT+CEREG?) and the APN in AT+CGDCONT"]);
    }

    private static Finding Negotiation(LinkView link, FailureView failure)
    {
        string layer = failure.Message.Split(':', 2)[0].Trim();
        if (layer.Length is 0 or > 8)
            layer = link.Layers.FirstOrDefault(l => l.Value != "Opened").Key ?? "LCP";
        var evidence = new List<string> { failure.Message };
        evidence.AddRange(link.Layers.Select(l => $"{l.Key}: {l.Value}"));
        var causes = layer.StartsWith("IPCP", StringComparison.OrdinalIgnoreCase)
            ? new List<string> { "the peer keeps refusing the addresses we want (set noipdefault = true and let the peer assign)", "the peer will not give DNS servers (usepeerdns)", "the peer insists on VJ compression, which is not implemented" }
            : ["the peer keeps Nak-ing or rejecting an option (ACCM, MRU, authentication, magic number)", "the line corrupts frames (bad FCS): speed or flow control mismatch"];
        return new Finding("negotiation-stuck", Severity.Problem, $"negotiation did not finish: {layer} gave up",
            $"{layer} exchanged Configure-Requests until max-configure or max-failure without agreeing.", evidence, causes,
            ["run with --debug: the pppd-style trace shows which option is Nak'd or Rejected each round",
             .. ConservativeOptions(link, ", mru = 1500", "")]);
    }

    /// <summary>
    /// The conservative LCP options not already in effect, as one suggestion; none when every one is set
    /// (a suggestion to do what the link already does sends a person the wrong way).
    /// </summary>
    private static IEnumerable<string> ConservativeOptions(LinkView link, string extra, string why)
    {
        var wanted = new (string Key, string Value)[] { ("accomp", "false"), ("pcomp", "false"), ("default-asyncmap", "true") };
        var missing = wanted.Where(w => link.Configured is not { } configured || !configured.TryGetValue($"lcp.{w.Key}", out var v) || v != w.Value)
            .Select(w => $"{w.Key} = {w.Value}").ToList();
        if (missing.Count == 0)
            return [];
        return [$"try conservative options: lcp {{ {string.Join(", ", missing)}{extra} }}{(why.Length > 0 ? $", {why}" : "")}"];
    }

    /// <summary>What the watchdog is set to and what its idle-link probe spent, as evidence.</summary>
    private static IEnumerable<string> WatchdogEvidence(LinkView link)
    {
        if (link.Configured is not { } configured || !configured.TryGetValue("watchdog.window", out var window))
            yield break;
        configured.TryGetValue("watchdog.probe-budget", out var budget);
        yield return budget is null or "0"
            ? $"the watchdog: window {window}, no idle-link probes (watchdog.probe-budget = 0)"
            : string.Create(CultureInfo.InvariantCulture, $"the watchdog: window {window}, idle-link probe budget {budget} bytes a day, {link.ProbeBytes} bytes spent so far");
    }

    /// <summary>A layer that keeps coming back to Req-Sent in the recent events is looping even before the link gives up.</summary>
    private static Finding? NegotiationLooping(DoctorFacts facts)
    {
        if (facts.Link.Phase is not ("Establish" or "Network" or "Authenticate"))
            return null;
        var loops = facts.Events.Where(e => e.Type == "LayerChanged" && e.Summary.EndsWith("-> ReqSent", StringComparison.Ordinal))
            .GroupBy(e => e.Summary.Split(' ')[0]).Where(g => g.Count() >= 4).ToList();
        if (loops.Count == 0 || loops.All(g => facts.Link.Layers.GetValueOrDefault(g.Key) == "Opened"))
            return null;
        var layer = loops.First(g => facts.Link.Layers.GetValueOrDefault(g.Key) != "Opened").Key;
        return Negotiation(facts.Link, new FailureView(10, "negotiation-failed", $"{layer}: back to Req-Sent {loops.First(g => g.Key == layer).Count()} times without reaching Opened"));
    }

    private static Finding? GaveUp(LinkView link)
    {
        if (link.Running || link.GaveUp is null)
            return null;
        return new Finding("gave-up", Severity.Problem, "not dialing again", $"The link manager stopped dialing this link: {link.GaveUp}.",
            [link.GaveUp], [], [$"fix the cause above, then `linkactors up {link.Name}`", "persist = true and maxfail = 0 keep dialing forever"]);
    }

    private static Finding Healthy(DoctorFacts facts)
    {
        var link = facts.Link;
        if (!link.IsUp)
        {
            string doing = link.Phase switch
            {
                "Dial" => "dialing",
                "Establish" => "negotiating LCP",
                "Authenticate" => "authenticating",
                "Network" => "negotiating IPCP",
                "Terminate" or "Disconnect" => "hanging up",
                _ when link.NextAttempt is { } next => string.Create(CultureInfo.InvariantCulture, $"waiting to dial again at {next:HH:mm:ss}"),
                _ => "not running",
            };
            return new Finding("in-progress", Severity.Info, $"the link is {doing}", $"Phase {link.Phase}, attempt {link.Attempts}.",
                [$"phase {link.Phase}"], [], ["run `linkactors doctor` again in a moment", "`linkactors events NAME --follow` shows each step live"]);
        }
        var evidence = new List<string> { $"local {link.Local}, remote {link.Remote}, DNS {string.Join(" ", link.Dns)}" };
        if (link.UptimeSeconds is { } uptime)
            evidence.Add(string.Create(CultureInfo.InvariantCulture, $"up for {TimeSpan.FromSeconds(Math.Round(uptime)):g}"));
        if (link.Traffic is { } t)
            evidence.Add(string.Create(CultureInfo.InvariantCulture, $"{t.PacketsSent} packets sent, {t.PacketsReceived} received"));
        return new Finding("up", Severity.Ok, "the link is up", "IP flows over the link.", evidence, [], []);
    }

    private static string? ChatAbort(string message) => ChatAbortMatch().Match(message) is { Success: true } m ? m.Groups["said"].Value : null;

    [GeneratedRegex(@"aborted on \((?<said>[^)]*)\) while expecting \((?<expected>[^)]*)\)")]
    private static partial Regex ChatAbortMatch();

    [GeneratedRegex(@"no \((?<expected>[^)]*)\) within")]
    private static partial Regex ChatTimeoutMatch();
}
