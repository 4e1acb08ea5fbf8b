using Akka.Actor;
using Akka.TestKit.Xunit2;
using LinkActors.Actors.Configuration;
using LinkActors.Actors.Link;
using LinkActors.Actors.Network;
using Xunit.Abstractions;
using Settings = LinkActors.Actors.Configuration.Settings;

namespace LinkActors.Actors.Tests.Network;

/// <summary>
/// Network namespaces made for one test, a scratch directory, and links whose network side is a TUN
/// interface in one of them; all removed when the test ends. Needs root.
/// </summary>
public abstract class NamespaceTestKit : TestKit, IDisposable
{
    private readonly List<TestNamespace> _namespaces = [];

    protected NamespaceTestKit(string config, string directoryPrefix, ITestOutputHelper output) : base(config, output: output)
    {
        Dir = Directory.CreateTempSubdirectory(directoryPrefix).FullName;
    }

    /// <summary>A scratch directory of the test's own (state, scripts, resolv.conf).</summary>
    protected string Dir { get; }

    /// <summary>A new namespace, deleted when the test ends.</summary>
    private protected TestNamespace NewNamespace()
    {
        var ns = new TestNamespace();
        _namespaces.Add(ns);
        return ns;
    }

    void IDisposable.Dispose()
    {
        try
        {
            Shutdown();
        }
        finally
        {
            foreach (var ns in _namespaces)
                ns.Dispose();
            Directory.Delete(Dir, recursive: true);
        }
    }

    protected static LinkSettings Link(string name, string device, string lockDirectory, string extra) =>
        Assert.Single(Settings.Create(Settings.Parse(
            $"linkactors.links.{name} {{\n device = \"{device}\"\n lock-directory = \"{lockDirectory}\"\n lcp.restart = 1s\n {extra}\n}}", "test"), "test"));

    /// <summary>A manager for <paramref name="link"/> whose TUN interface is made in <paramref name="ns"/>.</summary>
    private protected IActorRef Manage(LinkSettings link, TestNamespace ns) =>
        Sys.ActorOf(LinkManager.Props([link], l => LinkDependencyFactory.Default(l) with { NetworkProps = NetworkFactory.For(l, ns.Name) }),
            $"{link.Name}-links");
}
