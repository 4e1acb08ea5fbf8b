namespace LinkActors.Host.Management;

/// <summary>/ready, and systemd's READY=1: the actor system is alive and every required link is up.</summary>
public static class Readiness
{
    public static HealthView Evaluate(bool alive, IReadOnlyList<LinkView> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var waiting = links.Where(l => l.Required && !l.IsUp).Select(l => l.Name).ToList();
        bool ready = alive && waiting.Count == 0;
        string status = !alive ? "the actor system is not running"
            : ready ? "every required link is up"
            : $"waiting for {string.Join(", ", waiting)} to come up";
        return new HealthView(alive, ready, status, waiting);
    }
}
