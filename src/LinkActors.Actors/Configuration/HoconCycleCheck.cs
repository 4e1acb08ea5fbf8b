using Akka.Configuration.Hocon;

namespace LinkActors.Actors.Configuration;

/// <summary>
/// Finds a substitution that leads back to a value containing it (`x = ${x}`, `a = ${b}` with
/// `b = ${a}`, `o { p = ${o} }`). Akka's reader follows such a chain until the stack overflows, which
/// no handler can catch, so the parsed tree is walked first, without recursion, and the first cycle
/// is reported with the key where it closes.
/// </summary>
internal static class HoconCycleCheck
{
    public sealed record Cycle(string Key, string Reason);

    public static Cycle? FindCycle(HoconValue root)
    {
        ArgumentNullException.ThrowIfNull(root);
        // Depth-first over values; "open" values are on the current path, a value seen again while
        // open closes a cycle. Substitutions are edges to the value they resolved to.
        var open = new HashSet<HoconValue>(ReferenceEqualityComparer.Instance);
        var done = new HashSet<HoconValue>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(HoconValue Value, string Key, IEnumerator<(HoconValue Child, string Key, string? Via)> Children)>();
        open.Add(root);
        stack.Push((root, "", Children(root, "").GetEnumerator()));
        while (stack.Count > 0)
        {
            var (value, _, children) = stack.Peek();
            if (!children.MoveNext())
            {
                children.Dispose();
                stack.Pop();
                open.Remove(value);
                done.Add(value);
                continue;
            }
            var (child, key, via) = children.Current;
            if (open.Contains(child))
            {
                string where = key.Length == 0 ? "(top level)" : key;
                return new Cycle(where, via is null
                    ? "contains itself"
                    : $"the substitution {via} leads back to a value that contains it (a cycle); a ${{?...}} of a key that is not set does too");
            }
            if (done.Contains(child))
                continue;
            open.Add(child);
            stack.Push((child, key, Children(child, key).GetEnumerator()));
        }
        return null;
    }

    private static IEnumerable<(HoconValue Child, string Key, string? Via)> Children(HoconValue value, string key)
    {
        foreach (var element in value.Values)
        {
            switch (element)
            {
                case HoconObject obj:
                    foreach (var (name, item) in obj.Items)
                        yield return (item, key.Length == 0 ? name : $"{key}.{name}", null);
                    break;
                case HoconArray array:
                    for (int i = 0; i < array.Count; i++)
                        yield return (array[i], $"{key}[{i}]", null);
                    break;
                case HoconSubstitution { ResolvedValue: { } resolved } substitution:
                    yield return (resolved, key, $"${{{substitution.Path}}}");
                    break;
            }
        }
    }
}
