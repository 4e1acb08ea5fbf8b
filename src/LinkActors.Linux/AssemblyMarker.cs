namespace LinkActors.Linux; internal static class AssemblyMarker { }
