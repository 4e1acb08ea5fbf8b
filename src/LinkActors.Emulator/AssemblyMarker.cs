namespace LinkActors.Emulator; internal static class AssemblyMarker { }
