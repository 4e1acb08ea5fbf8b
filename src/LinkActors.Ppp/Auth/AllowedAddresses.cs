using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LinkActors.Ppp.Auth;

/// <summary>
/// The IPv4 addresses a peer may use after authenticating with a secrets entry: the words after
/// the secret in pppd's pap-secrets/chap-secrets. Words are checked in order and the first match
/// decides: <c>a.b.c.d</c> or <c>a.b.c.d/n</c> permits, a leading <c>!</c> forbids, <c>*</c>
/// permits any address, <c>-</c> stops the list. Whatever matches nothing is forbidden, and an
/// empty list forbids everything (pppd's auth_ip_addr when authentication is required). Host
/// names are not resolved here: this type is pure; name lookup belongs to whoever parses files.
/// </summary>
public sealed class AllowedAddresses
{
    private readonly Rule[] _rules;

    private AllowedAddresses(Rule[] rules, uint? suggested)
    {
        _rules = rules;
        SuggestedAddress = suggested;
    }

    /// <summary>"*": any address.</summary>
    public static AllowedAddresses Any { get; } = new([new Rule(true, 0, 0)], null);

    /// <summary>An empty list, or "-": no address.</summary>
    public static AllowedAddresses None { get; } = new([], null);

    /// <summary>
    /// The first single-host address permitted, as a big-endian number (0xC0000201 is 192.0.2.1),
    /// or null. pppd assigns it to the peer when no remote address is configured (set_allowed_addrs).
    /// </summary>
    public uint? SuggestedAddress { get; }

    /// <summary>True when the list names at least one single host besides the suggested one, or any range.</summary>
    public bool AllowsOthersThanSuggested => _rules.Count(r => r.Permit) > 1 || _rules.Any(r => r.Permit && r.Mask != uint.MaxValue);

    /// <summary>True when some address is permitted at all (pppd's some_ip_ok).</summary>
    public bool PermitsSome => _rules.Any(r => r.Permit);

    /// <summary>Parses the address words of one secrets entry; throws <see cref="FormatException"/> naming a bad word.</summary>
    public static AllowedAddresses Parse(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var rules = new List<Rule>();
        uint? suggested = null;
        foreach (string word in words)
        {
            if (word == "-")
                break;
            if (word == "*")
            {
                rules.Add(new Rule(true, 0, 0));
                break;
            }
            bool permit = !word.StartsWith('!');
            string text = permit ? word : word[1..];
            uint mask = uint.MaxValue;
            int slash = text.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                if (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int bits) || bits is <= 0 or > 32)
                    throw new FormatException($"invalid prefix length in allowed address '{word}'");
                mask = bits == 32 ? uint.MaxValue : ~(uint.MaxValue >> bits);
                text = text[..slash];
            }
            if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetwork
                || text.Count(c => c == '.') != 3)
                throw new FormatException($"'{word}' is not an IPv4 address or prefix");
            uint value = ToUInt32(address);
            rules.Add(new Rule(permit, value & mask, mask));
            if (permit && mask == uint.MaxValue && suggested is null)
                suggested = value;
        }
        return new AllowedAddresses([.. rules], suggested);
    }

    /// <summary>Whether the list lets the peer use <paramref name="address"/> (big-endian number).</summary>
    public bool Permits(uint address)
    {
        foreach (var rule in _rules)
        {
            if ((address & rule.Mask) == rule.Base)
                return rule.Permit;
        }
        return false;
    }

    public bool Permits(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily == AddressFamily.InterNetwork && Permits(ToUInt32(address));
    }

    public override string ToString() => $"AllowedAddresses {{ Rules = {_rules.Length} }}";

    internal static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private readonly record struct Rule(bool Permit, uint Base, uint Mask);
}
