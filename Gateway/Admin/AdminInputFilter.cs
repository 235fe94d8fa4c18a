using System.Collections.Concurrent;
using System.Reflection;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary>
/// Refuses, with 400, any admin API argument (query, route or JSON body field) holding a NUL or invalid UTF-16
/// (a lone surrogate from a JSON escape): Postgres cannot store or compare such text, and the request would
/// otherwise end in a 500 with a database error. Request bodies that are not valid UTF-8 never bind (400 too).
/// </summary>
public sealed class AdminInputFilter : IEndpointFilter
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> StringProperties = new();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        foreach (var argument in context.Arguments)
        {
            if (FirstInvalid(argument) is { } name)
            {
                return TypedResults.BadRequest(new AdminError("invalid_request",
                    $"'{name}' holds a NUL character or text that is not valid Unicode."));
            }
        }
        return await next(context);
    }

    private static string? FirstInvalid(object? argument) => argument switch
    {
        null => null,
        string text => IsValid(text) ? null : "parameter",
        HttpContext or CancellationToken => null,
        _ when argument.GetType().Namespace?.StartsWith("VoiceAnalytics.", StringComparison.Ordinal) == true =>
            Properties(argument.GetType()).FirstOrDefault(p => p.GetValue(argument) is string text && !IsValid(text))?.Name,
        _ => null,
    };

    private static PropertyInfo[] Properties(Type type) => StringProperties.GetOrAdd(type, t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string) && p.GetIndexParameters().Length == 0).ToArray());

    private static bool IsValid(string text) =>
        !text.Contains('\0', StringComparison.Ordinal) && !HasLoneSurrogate(text);

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }
        return false;
    }
}
