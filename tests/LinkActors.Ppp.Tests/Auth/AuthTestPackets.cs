using LinkActors.Ppp.Automaton;

namespace LinkActors.Ppp.Tests.Auth;

internal static class AuthTestPackets
{
    public static byte[] Packet(byte code, byte id, params byte[] data)
    {
        var bytes = new byte[4 + data.Length];
        bytes[0] = code;
        bytes[1] = id;
        bytes[2] = (byte)(bytes.Length >> 8);
        bytes[3] = (byte)bytes.Length;
        data.CopyTo(bytes, 4);
        return bytes;
    }

    public static byte[] Counted(string text) => [(byte)text.Length, .. System.Text.Encoding.UTF8.GetBytes(text)];

    public static SendControl Sent(IReadOnlyList<EngineOutput> outputs) => Assert.Single(outputs.OfType<SendControl>());
}
