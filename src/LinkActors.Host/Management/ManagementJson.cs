using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinkActors.Host.Management;

/// <summary>The one JSON shape of the endpoint and its clients: camelCase, enums as names, addresses as text.</summary>
public static class ManagementJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new IPAddressConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class IPAddressConverter : JsonConverter<IPAddress>
    {
        public override IPAddress? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? null
            : IPAddress.TryParse(reader.GetString(), out var address) ? address
            : throw new JsonException("not an IP address");

        public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
