using LinkActors.Ppp.Automaton;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Tests.Protocols;

internal static class PolicyTestHelpers
{
    public static List<RawOption> Options(params byte[] bytes) =>
        OptionList.TryParse(bytes, out var options) ? options : throw new ArgumentException("bad option bytes");

    public static (RequestVerdict Verdict, byte[] Reply) Judge(IControlPolicy policy, byte[] options, bool rejectInsteadOfNak = false)
    {
        var reply = new OptionWriter();
        var verdict = policy.JudgeRequest(Options(options), reply, rejectInsteadOfNak);
        return (verdict, reply.ToArray());
    }

    public static byte[] Request(IControlPolicy policy)
    {
        var writer = new OptionWriter();
        policy.WriteRequest(writer);
        return writer.ToArray();
    }
}
