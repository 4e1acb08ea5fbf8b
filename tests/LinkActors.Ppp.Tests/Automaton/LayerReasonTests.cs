using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Protocols;

namespace LinkActors.Ppp.Tests.Automaton;

public sealed class LayerReasonTests
{
    [Theory]
    [InlineData("IPCP", "peer requested termination", "IPCP: peer requested termination")]
    [InlineData("IPCP", "IPCP: peer requested termination", "IPCP: peer requested termination")]
    [InlineData("LCP", "IPCP: no address", "LCP: IPCP: no address")]
    public void Of_PrefixesTheLayerOnce(string layer, string reason, string expected) =>
        Assert.Equal(expected, LayerReason.Of(layer, reason));

    [Fact]
    public void Strip_TakesOffOnlyTheLayersOwnPrefix()
    {
        Assert.Equal("peer requested termination", LayerReason.Strip("IPCP", "IPCP: peer requested termination"));
        Assert.Equal("IPCP: x", LayerReason.Strip("LCP", "IPCP: x"));
    }

    [Fact]
    public void EngineClosedWithAPrefixedReason_FinishesWithOnePrefix()
    {
        var engine = new ControlEngine(new IpcpPolicy(new IpcpSettings()));
        engine.Open();
        engine.Up();
        var outputs = engine.Close("IPCP: no longer needed");
        outputs = [.. outputs, .. engine.Timeout(), .. engine.Timeout(), .. engine.Timeout()];

        var finished = Assert.Single(outputs.OfType<ThisLayerFinished>());
        Assert.Equal("IPCP: no longer needed", finished.Reason);
    }
}
