using System.Collections;
using System.Reflection;
using LinkActors.Actors.Configuration;

namespace LinkActors.Actors.Tests.Pppd;

/// <summary>
/// Record equality compares lists by reference, so two equal links read from different places are
/// "different"; this compares member by member, lists item by item, and names the first difference.
/// </summary>
internal static class LinkSettingsAssert
{
    public static void Equal(LinkSettings expected, LinkSettings actual)
    {
        string? difference = Difference(expected, actual, "link");
        Assert.True(difference is null, difference);
    }

    private static string? Difference(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
            return expected is null && actual is null ? null : $"{path}: {Show(expected)} != {Show(actual)}";
        if (expected is string || expected.GetType().IsPrimitive || expected.GetType().IsEnum
            || expected is TimeSpan or System.Net.IPAddress)
            return Equals(expected, actual) ? null : $"{path}: {Show(expected)} != {Show(actual)}";
        if (expected is IEnumerable expectedItems && actual is IEnumerable actualItems)
        {
            var e = expectedItems.Cast<object?>().ToList();
            var a = actualItems.Cast<object?>().ToList();
            if (e.Count != a.Count)
                return $"{path}: {e.Count} items != {a.Count} items";
            for (int i = 0; i < e.Count; i++)
                if (Difference(e[i], a[i], $"{path}[{i}]") is { } d)
                    return d;
            return null;
        }
        foreach (var property in expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract")
                continue;
            if (Difference(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}") is { } d)
                return d;
        }
        return null;
    }

    // Never prints a secret: a difference in one shows only that there is one.
    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s.Length} chars\"",
        _ => value.ToString() ?? "",
    };
}
