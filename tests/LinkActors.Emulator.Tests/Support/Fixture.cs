using LinkActors.Emulator.Bridge;
using LinkActors.Emulator.Modem;
using LinkActors.Emulator.Profiles;

namespace LinkActors.Emulator.Tests.Support;

/// <summary>Short delays so the suite stays fast; each test that needs a real one says so.</summary>
internal static class Fixture
{
    public static ModemEmulatorOptions FastOptions(ModemProfile? profile = null, PppServerConnector? server = null) => new()
    {
        Profile = profile ?? ModemProfile.Bc66,
        Server = server,
        RegistrationDelay = TimeSpan.Zero,
        BootDelay = TimeSpan.FromMilliseconds(100),
        ConnectDelay = TimeSpan.FromMilliseconds(10),
        GuardTime = TimeSpan.FromMilliseconds(200),
        Seed = 42,
    };

    /// <summary>Waits until the modem reports <paramref name="status"/>, at most five seconds.</summary>
    public static async Task WaitForRegistrationAsync(ModemEmulator modem, RegistrationStatus status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (modem.Registration != status)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Registration stayed {modem.Registration}, expected {status}");
            await Task.Delay(10);
        }
    }

    /// <summary>A file of the test project's Fixtures folder, copied next to the test assembly.</summary>
    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}
