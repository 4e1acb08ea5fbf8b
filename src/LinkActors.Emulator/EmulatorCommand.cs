using LinkActors.Emulator.Bridge;
using LinkActors.Emulator.Faults;
using LinkActors.Emulator.Modem;
using LinkActors.Emulator.Profiles;

namespace LinkActors.Emulator;

/// <summary>What <c>linkactors emulate-modem</c> is given.</summary>
public sealed record EmulatorCommandOptions
{
    /// <summary>The modem and its timing; <see cref="ModemEmulatorOptions.Log"/> defaults to <see cref="Output"/>.</summary>
    public ModemEmulatorOptions Modem { get; init; } = new();

    /// <summary>A FIFO to read control lines from (created if missing, removed afterwards if created).</summary>
    public string? ControlPath { get; init; }

    /// <summary>Also read control lines from this reader, typically the terminal's standard input.</summary>
    public TextReader? ControlInput { get; init; }

    public TextWriter Output { get; init; } = Console.Out;
}

/// <summary>
/// The emulator as a program: opens the pty, prints where it is, applies control lines from a FIFO or
/// standard input, and runs until cancelled.
/// </summary>
public static class EmulatorCommand
{
    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled or the control input ends with <c>quit</c>. Returns the exit code.</summary>
    public static async Task<int> RunAsync(EmulatorCommandOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        TextWriter output = TextWriter.Synchronized(options.Output);
        var modemOptions = options.Modem.Log is null
            ? options.Modem with { Log = line => output.WriteLine(line) }
            : options.Modem;

        await using var modem = ModemEmulator.Start(modemOptions);
        using var quit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnLine(string line)
        {
            if (line.Trim() is "quit" or "exit")
            {
                quit.Cancel();
                return;
            }
            string reply = ControlCommand.Execute(line, modem);
            if (reply.Length > 0)
                output.WriteLine(reply);
        }

        output.WriteLine($"modem {modem.Profile} ready at {modem.PortPath}"
            + (modemOptions.LinkPath is null ? "" : $" -> {modem.SlavePath}"));
        using var fifo = options.ControlPath is null ? null : ControlFifo.Open(options.ControlPath, OnLine);
        if (fifo is not null)
            output.WriteLine($"control: echo <command> > {fifo.Path}; {ControlCommand.Help}");

        Task stdin = options.ControlInput is null
            ? Task.CompletedTask
            : Task.Run(async () =>
            {
                while (!quit.IsCancellationRequested)
                {
                    string? line = await options.ControlInput.ReadLineAsync(quit.Token).ConfigureAwait(false);
                    if (line is null)
                        return;
                    OnLine(line);
                }
            }, CancellationToken.None);

        try
        {
            await Task.Delay(Timeout.Infinite, quit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        try
        {
            await stdin.WaitAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            // A console read cannot be interrupted; the process is ending anyway.
        }
        return 0;
    }

    /// <summary>A connector for <c>--server</c>: <c>tcp:HOST:PORT</c> or <c>exec:PROGRAM ARGS...</c> (e.g. pppd notty ...); null for none.</summary>
    public static PppServerConnector? ParseServer(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
            return null;
        if (spec.StartsWith("tcp:", StringComparison.Ordinal))
        {
            string rest = spec[4..];
            int colon = rest.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(rest[(colon + 1)..], out int port))
                throw new FormatException($"'{spec}': expected tcp:HOST:PORT");
            return PppServers.Tcp(rest[..colon], port);
        }
        if (spec.StartsWith("exec:", StringComparison.Ordinal))
        {
            string[] words = spec[5..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
                throw new FormatException($"'{spec}': expected exec:PROGRAM ARGS...");
            return PppServers.Process(words[0], words[1..]);
        }
        throw new FormatException($"'{spec}': expected tcp:HOST:PORT or exec:PROGRAM ARGS...");
    }

    /// <summary>The profile for <c>--profile</c>, with the names of the known ones in the error.</summary>
    public static ModemProfile ParseProfile(string name) =>
        ModemProfile.Find(name)
        ?? throw new FormatException($"Unknown modem profile '{name}'; known: {string.Join(", ", ModemProfile.All.Select(p => p.Name))}.");
}
