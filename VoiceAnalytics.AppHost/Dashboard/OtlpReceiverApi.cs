namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>
/// Where the services export OTLP (http/protobuf). For now it accepts and discards, answering with an empty
/// Export*ServiceResponse (an empty protobuf message is zero bytes) so exporters neither retry nor log errors.
/// The dashboard's storage replaces the discard.
/// </summary>
internal static class OtlpReceiverApi
{
    private const string Protobuf = "application/x-protobuf";

    public static IEndpointRouteBuilder MapOtlpReceiver(this IEndpointRouteBuilder routes)
    {
        foreach (var signal in new[] { "traces", "logs", "metrics" })
        {
            routes.MapPost($"/v1/{signal}", DiscardAsync);
        }
        return routes;
    }

    private static async Task<IResult> DiscardAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        await request.Body.CopyToAsync(Stream.Null, cancellationToken);
        return TypedResults.Bytes([], Protobuf);
    }
}
