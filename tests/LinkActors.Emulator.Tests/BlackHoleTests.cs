using System.Buffers;
using LinkActors.Emulator.DataPath;
using LinkActors.Emulator.Tests.Support;
using LinkActors.Ppp.Packets;

namespace LinkActors.Emulator.Tests;

public sealed class BlackHoleTests
{
    private static readonly ushort[] ControlOnly = [PppProtocol.Lcp, PppProtocol.Ipcp, PppProtocol.Lcp];
    private static readonly ushort[] Everything =
        [PppProtocol.Lcp, PppProtocol.Ipv4, PppProtocol.Ipcp, PppProtocol.Ipv4, PppProtocol.Ipv6, PppProtocol.Lcp];

    [Fact]
    public async Task BlackHole_PassesControlFrames_DropsIpFrames_ClientToServer()
    {
        await using var session = Session.Start();
        Stream server = await session.DialAsync();
        session.Modem.Faults.BlackHole();
        var (sent, expected) = Frames.MixedStream();

        session.Client.Write(sent);
        byte[] got = await Session.ReadServerAsync(server, expected.Length);

        Assert.Equal(expected, got);
        Assert.Equal(ControlOnly, Frames.Protocols(got));
        Assert.Equal(3, session.Modem.Counters.FramesDroppedToServer);
    }

    [Fact]
    public async Task BlackHole_PassesControlFrames_DropsIpFrames_ServerToClient()
    {
        await using var session = Session.Start();
        Stream server = await session.DialAsync();
        session.Modem.Faults.BlackHole();
        var (sent, expected) = Frames.MixedStream();

        // In pieces that split frames, flags and escapes anywhere, as serial reads do.
        for (int i = 0; i < sent.Length; i += 7)
            await server.WriteAsync(sent.AsMemory(i, Math.Min(7, sent.Length - i)));
        byte[] got = await session.Client.ReadExactlyAsync(expected.Length);

        Assert.Equal(expected, got);
        Assert.Equal(ControlOnly, Frames.Protocols(got));
        Assert.Equal(3, session.Modem.Counters.FramesDroppedToClient);
        Assert.True(await session.Client.StaysSilentAsync(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task BlackHoleOff_EverythingPasses()
    {
        await using var session = Session.Start();
        Stream server = await session.DialAsync();
        session.Modem.Faults.BlackHole();
        session.Modem.Faults.BlackHole(false);
        var (sent, _) = Frames.MixedStream();

        session.Client.Write(sent);
        byte[] got = await Session.ReadServerAsync(server, sent.Length);

        Assert.Equal(Everything, Frames.Protocols(got));
        Assert.Equal(0, session.Modem.Counters.FramesDropped);
    }

    [Fact]
    public void Filter_ByteByByte_GivesTheSameOutputAsOneChunk()
    {
        var (sent, expected) = Frames.MixedStream();
        byte[] prefix = "\r\nCONNECT\r\n"u8.ToArray();
        byte[] input = [.. prefix, .. sent];

        var whole = new ArrayBufferWriter<byte>();
        new BlackHoleFilter().Process(input, enabled: true, whole);

        var filter = new BlackHoleFilter();
        var pieces = new ArrayBufferWriter<byte>();
        foreach (byte octet in input)
            filter.Process([octet], enabled: true, pieces);

        Assert.Equal([.. prefix, .. expected], whole.WrittenSpan.ToArray());
        Assert.Equal(whole.WrittenSpan.ToArray(), pieces.WrittenSpan.ToArray());
        Assert.Equal(3, filter.FramesDropped);
    }

    [Fact]
    public void Filter_DamagedIpFrame_PassesUnchanged()
    {
        byte[] frame = Frames.Encode(PppProtocol.Ipv4, Frames.Ipv4Ping);
        frame[5] ^= 0x01;
        var output = new ArrayBufferWriter<byte>();
        var filter = new BlackHoleFilter();

        filter.Process(frame, enabled: true, output);

        Assert.Equal(frame, output.WrittenSpan.ToArray());
        Assert.Equal(0, filter.FramesDropped);
    }

    [Fact]
    public void Filter_TurnedOffMidFrame_ReleasesWhatItHeld()
    {
        byte[] frame = Frames.Encode(PppProtocol.Ipv4, Frames.Ipv4Ping);
        var output = new ArrayBufferWriter<byte>();
        var filter = new BlackHoleFilter();

        filter.Process(frame.AsSpan(0, 10), enabled: true, output);
        filter.Process(frame.AsSpan(10), enabled: false, output);

        Assert.Equal(frame, output.WrittenSpan.ToArray());
    }
}
