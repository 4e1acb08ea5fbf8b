using LinkActors.Emulator.Tests.Support;

namespace LinkActors.Emulator.Tests;

public sealed class LifetimeTests
{
    [Fact]
    public async Task Dispose_ClosesEveryDescriptorItOpened()
    {
        // One round first, so that descriptors the runtime opens once (epoll, pipes) are not counted.
        await RoundAsync();
        int before = Directory.GetFiles("/proc/self/fd").Length;
        for (int i = 0; i < 5; i++)
            await RoundAsync();
        int after = Directory.GetFiles("/proc/self/fd").Length;
        Assert.InRange(after, 0, before + 2);

        static async Task RoundAsync()
        {
            await using var session = Session.Start();
            Stream server = await session.DialAsync();
            session.Modem.Faults.BlackHole();
            session.Client.Write("x");
            await Session.ReadServerAsync(server, 1);
        }
    }
}
