namespace LinkActors.Emulator.DataPath;

/// <summary>
/// Bit errors on the line, for one direction: each octet is hit with the given probability, and a hit
/// flips one of its bits, so that a hit always changes the octet. Seeded, so a failing run can be replayed.
/// </summary>
internal sealed class LineNoise(int seed)
{
    private readonly Random _random = new(seed);

    public long OctetsCorrupted { get; private set; }

    public void Apply(Span<byte> data, double rate)
    {
        if (rate <= 0)
            return;
        for (int i = 0; i < data.Length; i++)
        {
            if (_random.NextDouble() < rate)
            {
                data[i] ^= (byte)(1 << _random.Next(8));
                OctetsCorrupted++;
            }
        }
    }
}
