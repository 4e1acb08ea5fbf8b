using System.Globalization;
using System.Text;

namespace LinkActors.Host.Tests.Support;

/// <summary>One sample of the Prometheus text format.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A strict parser of the Prometheus text exposition format 0.0.4: every line is a HELP, a TYPE or a
/// sample; names and label names are valid; label values are quoted with only \\, \" and \n escapes;
/// TYPE comes before a family's samples and at most once; a counter's samples end in _total;
/// a histogram's are _bucket (with le), _sum, _count; no sample repeats. Any deviation throws.
/// </summary>
public static class PrometheusText
{
    public static (IReadOnlyDictionary<string, string> Types, IReadOnlyList<Sample> Samples) Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new HashSet<string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (text.Length > 0 && !text.EndsWith('\n'))
            throw new FormatException("the exposition must end with a line feed");
        int number = 0;
        foreach (var line in text.Split('\n')[..^1])
        {
            number++;
            if (line.Length == 0)
                throw new FormatException($"line {number}: empty line");
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                int space = rest.IndexOf(' ', StringComparison.Ordinal);
                string name = space < 0 ? rest : rest[..space];
                CheckName(name, number);
                if (!helps.Add(name))
                    throw new FormatException($"line {number}: second HELP for {name}");
                string help = space < 0 ? "" : rest[(space + 1)..];
                for (int i = 0; i < help.Length; i++)
                    if (help[i] == '\\' && (i + 1 >= help.Length || help[++i] is not ('\\' or 'n')))
                        throw new FormatException($"line {number}: bad escape in HELP");
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line["# TYPE ".Length..].Split(' ');
                if (parts.Length != 2 || parts[1] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                    throw new FormatException($"line {number}: bad TYPE line");
                CheckName(parts[0], number);
                if (!types.TryAdd(parts[0], parts[1]))
                    throw new FormatException($"line {number}: second TYPE for {parts[0]}");
                if (samples.Any(s => Family(s.Name, types) == parts[0]))
                    throw new FormatException($"line {number}: TYPE after samples of {parts[0]}");
                continue;
            }
            if (line.StartsWith('#'))
                throw new FormatException($"line {number}: unexpected comment");
            var sample = ParseSample(line, number);
            string family = Family(sample.Name, types) ?? throw new FormatException($"line {number}: {sample.Name} has no TYPE");
            string type = types[family];
            bool fits = type switch
            {
                "counter" => sample.Name == family && family.EndsWith("_total", StringComparison.Ordinal),
                "histogram" => sample.Name == family + "_bucket" ? sample.Labels.ContainsKey("le") : sample.Name == family + "_sum" || sample.Name == family + "_count",
                _ => sample.Name == family,
            };
            if (!fits)
                throw new FormatException($"line {number}: {sample.Name} does not fit {type} {family}");
            string key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}";
            if (!seen.Add(key))
                throw new FormatException($"line {number}: duplicate sample {key}");
            samples.Add(sample);
        }
        return (types, samples);
    }

    private static string? Family(string sample, Dictionary<string, string> types)
    {
        if (types.ContainsKey(sample))
            return sample;
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
            if (sample.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(sample[..^suffix.Length], out var t) && t is "histogram" or "summary")
                return sample[..^suffix.Length];
        return null;
    }

    private static Sample ParseSample(string line, int number)
    {
        int i = 0;
        while (i < line.Length && line[i] is not ('{' or ' '))
            i++;
        string name = line[..i];
        CheckName(name, number);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                int start = i;
                while (line[i] != '=')
                    i++;
                string label = line[start..i];
                CheckName(label, number, label: true);
                if (line[++i] != '"')
                    throw new FormatException($"line {number}: label value not quoted");
                i++;
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        value.Append(line[++i] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"line {number}: bad escape in a label value"),
                        });
                    }
                    else if (line[i] == '\n')
                    {
                        throw new FormatException($"line {number}: raw line feed in a label value");
                    }
                    else
                    {
                        value.Append(line[i]);
                    }
                    i++;
                }
                i++;
                if (!labels.TryAdd(label, value.ToString()))
                    throw new FormatException($"line {number}: label {label} twice");
                if (line[i] == ',')
                    i++;
                else if (line[i] != '}')
                    throw new FormatException($"line {number}: expected , or }} after a label");
            }
            i++;
        }
        if (i >= line.Length || line[i] != ' ')
            throw new FormatException($"line {number}: expected a space before the value");
        var rest = line[(i + 1)..].Split(' ');
        if (rest.Length is < 1 or > 2)
            throw new FormatException($"line {number}: expected a value and an optional timestamp");
        double v = rest[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(name, labels, v);
    }

    private static void CheckName(string name, int number, bool label = false)
    {
        bool ok = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_' || (!label && name[0] == ':'))
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || (!label && c == ':'));
        if (!ok || (label && name.StartsWith("__", StringComparison.Ordinal)))
            throw new FormatException($"line {number}: invalid {(label ? "label" : "metric")} name \"{name}\"");
    }
}
