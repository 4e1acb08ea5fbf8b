using System.Text.Json;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using LinkActors.Fleet.Wire;

namespace LinkActors.Fleet.Service;

/// <summary>
/// Serializes the fleet's own messages (between nodes and into the journal) as JSON, with the type's
/// name as manifest: readable in the database, stable across versions that only add fields, and with
/// no type information taken from the payload.
/// </summary>
public sealed class FleetJsonSerializer : SerializerWithStringManifest
{
    public const int Id = 7313;
    private static readonly Dictionary<string, Type> s_types = typeof(IFleetMessage).Assembly.GetTypes()
        .Where(t => typeof(IFleetMessage).IsAssignableFrom(t) && !t.IsInterface && !t.IsAbstract)
        .ToDictionary(t => t.Name, t => t, StringComparer.Ordinal);

    public FleetJsonSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    public override int Identifier => Id;

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), FleetJson.Options);

    public override object FromBinary(byte[] bytes, string manifest) =>
        s_types.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, FleetJson.Options) ?? throw new SerializationException($"empty {manifest}")
            : throw new SerializationException($"unknown fleet message {manifest}");

    public override string Manifest(object o) => o.GetType().Name;

    /// <summary>The HOCON that binds <see cref="IFleetMessage"/> to this serializer.</summary>
    public static string Hocon =>
        "akka.actor.serializers.fleet-json = \"" + typeof(FleetJsonSerializer).AssemblyQualifiedName + "\"\n" +
        "akka.actor.serialization-bindings { \"" + typeof(IFleetMessage).AssemblyQualifiedName + "\" = fleet-json }\n";
}
