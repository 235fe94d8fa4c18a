using System.Text.Json.Nodes;

namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>Encrypted values inside JSON documents (an analysis result whose name and phone are envelopes).</summary>
public static class PiiJson
{
    /// <summary>Replaces, in place, every string of <paramref name="node"/> that <paramref name="map"/> changes.</summary>
    public static void MapStrings(JsonNode? node, Func<string, string?> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (Leaf(obj[name], map) is { } replacement)
                    {
                        obj[name] = replacement;
                    }
                    else
                    {
                        MapStrings(obj[name], map);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (Leaf(array[i], map) is { } replacement)
                    {
                        array[i] = replacement;
                    }
                    else
                    {
                        MapStrings(array[i], map);
                    }
                }
                break;
        }
    }

    /// <summary>Decrypts every envelope string of the document, in place, and returns it.</summary>
    public static JsonNode? UnprotectStrings(this PiiProtector protector, JsonNode? node)
    {
        ArgumentNullException.ThrowIfNull(protector);
        MapStrings(node, text => PiiEnvelope.IsEnvelope(text) ? protector.Unprotect(text) : text);
        return node;
    }

    // A string leaf whose mapped value differs: its replacement node. Null for containers and unchanged values.
    private static JsonValue? Leaf(JsonNode? node, Func<string, string?> map) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && map(text) is var mapped && !string.Equals(mapped, text, StringComparison.Ordinal)
            ? JsonValue.Create(mapped)
            : null;
}
