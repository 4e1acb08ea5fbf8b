using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using Akka.TestKit.Xunit2;
using LinkActors.Actors.Link;
using LinkActors.Ppp.Auth;
using LinkActors.Ppp.Framing;
using LinkActors.Ppp.Packets;
using LinkActors.Tests.Shared;
using Xunit.Abstractions;
using Settings = LinkActors.Actors.Configuration.Settings;

namespace LinkActors.Actors.Tests.Link;

/// <summary>
/// A scripted peer on the other end of a real pty pair that reaches LCP Opened before we do and
/// speaks at once: its CHAP Challenge follows its Configure-Ack in the same write, already sent with
/// the ACCM we asked for (control octets unescaped). The link must take it, as pppd's peers expect.
/// </summary>
public sealed class PeerOpensFirstTests : TestKit
{
    private const string Secret = "s3cret-for-la";
    // Long enough for a loaded machine; the restart timer is longer still, so the peer's replies
    // always answer the request it read (a retransmission would carry a new identifier).
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(12);

    public PeerOpensFirstTests(ITestOutputHelper output) : base("akka.loglevel = DEBUG\nakka.stdout-loglevel = INFO", output: output)
    {
    }

    private sealed class Collect(BlockingCollection<(ushort Protocol, byte[] Information)> frames) : IHdlcFrameSink
    {
        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information) => frames.Add((protocol, information.ToArray()));
    }

    private static byte[] Encode(ushort protocol, byte[] information, uint accm)
    {
        var encoder = new HdlcEncoder { TransmitAccm = accm };
        var buffer = new byte[HdlcEncoder.MaxEncodedLength(information.Length)];
        return buffer[..encoder.Encode(protocol, information, buffer)];
    }

    private static (ushort Protocol, byte[] Information) Next(BlockingCollection<(ushort Protocol, byte[] Information)> frames,
        ushort protocol, byte code)
    {
        using var timeout = new CancellationTokenSource(Step);
        while (true)
        {
            var frame = frames.Take(timeout.Token);
            if (frame.Protocol == protocol && frame.Information.Length > 0 && frame.Information[0] == code)
                return frame;
        }
    }

    [Fact]
    public async Task ChallengeRightBehindTheConfigureAck_UnescapedControlOctets_IsAnswered()
    {
        using var pty = new SocatPtyPair();
        var link = Assert.Single(Settings.Create(Settings.Parse($$"""
            linkactors.links.client {
              device = "{{pty.A}}"
              lock-directory = "{{pty.LockDirectory}}"
              local = true
              network.mode = endpoint
              lcp.restart = 15s
              auth { user = "la", password = "{{Secret}}" }
              ipcp { noipdefault = true }
              ipv6cp.enabled = false
            }
            """, "test"), "test"));
        await using var peer = pty.OpenB();
        var frames = new BlockingCollection<(ushort, byte[])>();
        var reader = Task.Run(() =>
        {
            // The peer receives laxly: it asks for ACCM 0 and keeps control octets whether escaped or not.
            var decoder = new HdlcDecoder { ReceiveAccm = 0 };
            var buffer = new byte[4096];
            try
            {
                int n;
                while ((n = peer.Read(buffer)) > 0)
                    decoder.Decode(buffer.AsSpan(0, n), new Collect(frames));
            }
            catch (IOException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        });
        Sys.ActorOf(LinkManager.Props([link], LinkDependencyFactory.Default), "links");

        // Our Configure-Request; the peer's own asks for CHAP-MD5 and the ACCM 0 it will receive with.
        var ourRequest = Next(frames, PppProtocol.Lcp, (byte)ControlCode.ConfReq).Information;
        byte[] peerRequest = [(byte)ControlCode.ConfReq, 0x01, 0x00, 0x15,
            0x02, 0x06, 0x00, 0x00, 0x00, 0x00,     // ACCM 0 (RFC 1662 §7.1)
            0x03, 0x05, 0xC2, 0x23, 0x05,           // Authentication-Protocol CHAP, MD5 (RFC 1994 §3)
            0x05, 0x06, 0x0A, 0x0B, 0x0C, 0x0D];    // Magic-Number
        await peer.WriteAsync(Encode(PppProtocol.Lcp, peerRequest, Accm.All));
        Next(frames, PppProtocol.Lcp, (byte)ControlCode.ConfAck);

        // The peer is Opened now: its Configure-Ack (still escaped, as sent before Opened) and, in the
        // same write, a Challenge with the control octets our ConfReq said need no escaping.
        var ack = (byte[])ourRequest.Clone();
        ack[0] = (byte)ControlCode.ConfAck;
        byte[] challenge = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F];
        var name = Encoding.ASCII.GetBytes("isp");
        var packet = new byte[5 + challenge.Length + name.Length];
        packet[0] = ChapCode.Challenge;
        packet[1] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[4] = (byte)challenge.Length;
        challenge.CopyTo(packet, 5);
        name.CopyTo(packet, 5 + challenge.Length);
        // Our request asked for ACCM 0 (reference.conf's asyncmap): nothing needs escaping toward us.
        Assert.True(ourRequest.AsSpan(4).IndexOf(new byte[] { 0x02, 0x06, 0x00, 0x00, 0x00, 0x00 }) >= 0, "our ConfReq asks for ACCM 0");
        await peer.WriteAsync(Encode(PppProtocol.Lcp, ack, Accm.All).Concat(Encode(PppProtocol.Chap, packet, 0)).ToArray());

        // RFC 1994 §4.1: the Response carries MD5(id, secret, challenge), answered at once, not after
        // the peer's retransmission.
        var response = Next(frames, PppProtocol.Chap, ChapCode.Response).Information;
        Assert.Equal(0x01, response[1]);
        Assert.Equal(ChapMd5.ComputeResponse(0x01, Encoding.UTF8.GetBytes(Secret), challenge), response.AsSpan(5, 16).ToArray());
        // Closing our descriptor does not wake a read blocked on it; the pty pair going away does.
        pty.Kill();
        await reader.WaitAsync(Step);
    }
}
