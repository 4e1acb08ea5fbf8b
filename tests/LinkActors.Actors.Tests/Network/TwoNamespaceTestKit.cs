using Xunit.Abstractions;

namespace LinkActors.Actors.Tests.Network;

/// <summary>Two network namespaces for one test, a client's and a server's (see <see cref="NamespaceTestKit"/>).</summary>
public abstract class TwoNamespaceTestKit : NamespaceTestKit
{
    protected TwoNamespaceTestKit(string config, string directoryPrefix, ITestOutputHelper output) : base(config, directoryPrefix, output)
    {
        ClientNs = NewNamespace();
        ServerNs = NewNamespace();
    }

    private protected TestNamespace ClientNs { get; }

    private protected TestNamespace ServerNs { get; }
}
