using System.Buffers.Binary;
using System.Text;
using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Trace;

// Authentication protocols: PAP (RFC 1334), CHAP (RFC 1994), EAP (RFC 3748). Their packets carry
// passwords and challenge/response values, so nothing here ever prints octets it has not decoded.
public static partial class PppTrace
{
    private const int AuthHeaderLength = 4;

    private static readonly string[] PapCodeNames = ["AuthReq", "AuthAck", "AuthNak"];
    private static readonly string[] ChapCodeNames = ["Challenge", "Response", "Success", "Failure"];
    private static readonly string[] EapCodeNames = ["Request", "Response", "Success", "Failure"];

    private const byte PapAuthenticateRequest = 1;
    private const byte ChapChallenge = 1;
    private const byte ChapResponse = 2;

    /// <summary>
    /// Appends code, identifier and body; returns the octets consumed (the packet's Length), or 0
    /// for a header RFC 1334 §2.2 / RFC 1994 §4 say to discard. Octets not decoded are hidden.
    /// </summary>
    private static int AppendAuthPacket(StringBuilder text, ushort protocol, ReadOnlySpan<byte> information)
    {
        if (information.Length < AuthHeaderLength)
            return 0;
        int length = BinaryPrimitives.ReadUInt16BigEndian(information[2..]);
        if (length < AuthHeaderLength || length > information.Length)
            return 0;

        byte code = information[0];
        AppendCodeName(text, code, protocol switch
        {
            PppProtocol.Pap => PapCodeNames,
            PppProtocol.Chap => ChapCodeNames,
            _ => EapCodeNames,
        });
        text.Append(" id=0x").Append(Hex(information[1]));

        var body = information[AuthHeaderLength..length];
        int offset = protocol switch
        {
            PppProtocol.Pap => AppendPapBody(text, code, body),
            PppProtocol.Chap => AppendChapBody(text, code, body),
            _ => 0,
        };
        AppendHidden(text, body.Length - offset);
        return length;
    }

    /// <summary>
    /// RFC 1334 §2.2.1: Peer-ID-Length, Peer-Id, Passwd-Length, Password. §2.2.2: Msg-Length, Message.
    /// The peer id is shown, the password never.
    /// </summary>
    private static int AppendPapBody(StringBuilder text, byte code, ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
            return 0;
        if (code == PapAuthenticateRequest)
        {
            int peerIdLength = body[0];
            if (body.Length < peerIdLength + 2)
                return 0;
            int passwordLength = body[peerIdLength + 1];
            if (body.Length < peerIdLength + passwordLength + 2)
                return 0;
            text.Append(" user=");
            AppendQuoted(text, body.Slice(1, peerIdLength));
            text.Append(" password=<hidden>");
            return peerIdLength + passwordLength + 2;
        }
        if (code is 2 or 3)
        {
            int messageLength = body[0];
            if (body.Length < messageLength + 1)
                return 0;
            text.Append(' ');
            AppendQuoted(text, body.Slice(1, messageLength));
            return messageLength + 1;
        }
        return 0;
    }

    /// <summary>
    /// RFC 1994 §4.1: Value-Size, Value, Name; §4.2: Message. The value of a Challenge or a
    /// Response is hidden: with the challenge, a response is enough to attack the secret offline.
    /// </summary>
    private static int AppendChapBody(StringBuilder text, byte code, ReadOnlySpan<byte> body)
    {
        switch (code)
        {
            case ChapChallenge or ChapResponse:
                if (body.IsEmpty || body.Length < body[0] + 1)
                    return 0;
                text.Append(" <hidden>, name = ");
                AppendQuoted(text, body[(body[0] + 1)..]);
                return body.Length;
            case 3 or 4:
                text.Append(' ');
                AppendQuoted(text, body);
                return body.Length;
            default:
                return 0;
        }
    }
}
