using System.Globalization;

namespace LinkActors.Ppp.Text;

/// <summary>Durations as people write them: "250 ms", "34.8 s", "2 min 5 s", "1 h 3 min", "2 d 4 h".</summary>
public static class Durations
{
    public static string Human(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
            return "-" + Human(value.Duration());
        var c = CultureInfo.InvariantCulture;
        if (value < TimeSpan.FromSeconds(1))
            return string.Create(c, $"{Math.Round(value.TotalMilliseconds):0} ms");
        if (value < TimeSpan.FromSeconds(59.95))
            return string.Create(c, $"{value.TotalSeconds:0.#} s");
        if (value < TimeSpan.FromHours(1))
        {
            var seconds = (long)Math.Round(value.TotalSeconds);
            return Pair(seconds / 60, "min", seconds % 60, "s");
        }
        if (value < TimeSpan.FromDays(1))
        {
            var minutes = (long)Math.Round(value.TotalMinutes);
            return Pair(minutes / 60, "h", minutes % 60, "min");
        }
        var hours = (long)Math.Round(value.TotalHours);
        return Pair(hours / 24, "d", hours % 24, "h");
    }

    private static string Pair(long major, string majorUnit, long minor, string minorUnit) =>
        minor == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{major} {majorUnit}")
            : string.Create(CultureInfo.InvariantCulture, $"{major} {majorUnit} {minor} {minorUnit}");
}

/// <summary>
/// The log's format provider: every <see cref="TimeSpan"/> written into a log line reads as
/// <see cref="Durations.Human"/> (unless the template gives a format), everything else as the invariant culture writes it.
/// </summary>
public sealed class HumanLogFormat : IFormatProvider, ICustomFormatter
{
    public static HumanLogFormat Instance { get; } = new();

    public object? GetFormat(Type? formatType) => formatType == typeof(ICustomFormatter) ? this : CultureInfo.InvariantCulture.GetFormat(formatType);

    public string Format(string? format, object? arg, IFormatProvider? formatProvider) => arg switch
    {
        null => "",
        TimeSpan span when string.IsNullOrEmpty(format) => Durations.Human(span),
        IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
        _ => arg.ToString() ?? "",
    };
}
