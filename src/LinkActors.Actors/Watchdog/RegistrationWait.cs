using LinkActors.Ppp.Chat;

namespace LinkActors.Actors.Watchdog;

/// <summary>What to do after one registration query.</summary>
public enum RegistrationDecision
{
    /// <summary>Registered (stat 1 or 5, or another registered form): dial.</summary>
    Registered,

    /// <summary>Ask again after the poll interval.</summary>
    PollAgain,

    /// <summary>The modem refused this query form: try the next at once.</summary>
    TryNextCommand,

    /// <summary>The modem answers none of the query forms: dial anyway, as pppd would.</summary>
    NotReported,

    /// <summary>Registration denied (stat 3): no amount of waiting helps.</summary>
    Denied,

    /// <summary>The bound has passed without registration.</summary>
    TimedOut,
}

/// <summary>
/// Waiting for network registration before the connect script: AT+CEREG? (EPS), AT+CGREG? (GPRS),
/// AT+CREG? (CS), whichever the modem answers, until stat 1 or 5 or the bound. Pure: each query's
/// outcome and the elapsed time come in, the decision goes out.
/// </summary>
public sealed class RegistrationWait(TimeSpan timeout)
{
    private static readonly string[] Commands = ["AT+CEREG?", "AT+CGREG?", "AT+CREG?"];
    private int _command;
    private bool _answered;

    /// <summary>The query to send next.</summary>
    public string Command => Commands[_command];

    /// <summary>In words, what the modem said last ("searching", "no answer").</summary>
    public string Last { get; private set; } = "no answer from the modem";

    /// <summary>The last status the modem reported, if any.</summary>
    public RegistrationStatus? LastStatus { get; private set; }

    /// <param name="answered">The modem said OK to the query (else: it said ERROR, or nothing).</param>
    /// <param name="refused">It said ERROR: this form is not supported.</param>
    public RegistrationDecision Observe(bool answered, bool refused, ModemInfo? modem, TimeSpan elapsed)
    {
        if (refused && !_answered)
        {
            Last = $"the modem refused {Command}";
            if (_command + 1 < Commands.Length)
            {
                _command++;
                return RegistrationDecision.TryNextCommand;
            }
            return RegistrationDecision.NotReported;
        }
        if (answered)
        {
            _answered = true;
            var registration = _command switch
            {
                0 => modem?.EpsRegistration,
                1 => modem?.GprsRegistration,
                _ => modem?.CircuitRegistration,
            } ?? modem?.Registration;
            if (registration is not null)
            {
                LastStatus = registration.Status;
                Last = ModemInfo.Describe(registration.Status);
                if (registration.IsRegistered)
                    return RegistrationDecision.Registered;
                if (registration.Status == RegistrationStatus.Denied)
                    return RegistrationDecision.Denied;
            }
        }
        else if (!refused)
        {
            Last = "no answer from the modem";
        }
        return elapsed >= timeout ? RegistrationDecision.TimedOut : RegistrationDecision.PollAgain;
    }
}
