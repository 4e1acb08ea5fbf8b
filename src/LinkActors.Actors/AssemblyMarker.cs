namespace LinkActors.Actors; internal static class AssemblyMarker { }
