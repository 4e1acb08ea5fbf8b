using LinkActors.Fuzz;
using SharpFuzz;

// linkactors-fuzz TARGET        run under afl-fuzz (SharpFuzz's fork server), one input per execution
// linkactors-fuzz TARGET FILE.. run the inputs once each, in process (reproducing a crash, regression tests)
// linkactors-fuzz --list        the targets
// linkactors-fuzz --seeds DIR REPO  write the seed corpora (fuzz/corpus) from real frames and files
if (args.Length == 0 || args[0] == "--list")
{
    Console.WriteLine(string.Join('\n', FuzzTargets.All.Keys));
    return args.Length == 0 ? 2 : 0;
}
if (args[0] == "--seeds" && args.Length == 3)
{
    Seeds.Write(args[1], args[2]);
    return 0;
}
if (!FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"no target {args[0]}; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}
if (args.Length > 1)
{
    foreach (var file in args.Skip(1))
        target(File.ReadAllBytes(file));
    return 0;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    target(memory.ToArray());
});
return 0;
