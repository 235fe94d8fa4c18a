using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using VoiceAnalytics.Infrastructure.Data;
using VoiceAnalytics.Infrastructure.Tests.Integration.Defaults;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Infrastructure.Tests.Integration.Data;

/// <summary>
/// Database commands are traced inside a service's spans only, so idle polls and claims start no traces of their
/// own. Run alone (<see cref="TelemetryCollection"/>): the listener hears every Npgsql command of the process.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class DatabaseTracingTests
{
    [Fact]
    public async Task ACommandIsTracedInsideASpanAndNotOutsideOne()
    {
        using var jobs = new ActivitySource("VoiceAnalytics.Tests.DatabaseTracing");
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" || source == jobs,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var connectionString = await (await ThrowawayPostgres.Shared).CreateDatabaseAsync("tracing");
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConfigureTracing(VoiceDatabaseExtensions.TraceOnlyInsideSpans);
        await using var dataSource = builder.Build();

        Activity.Current = null;
        await using (var outside = dataSource.CreateCommand("SELECT 'outside-any-span'"))
        {
            await outside.ExecuteScalarAsync();
        }
        Activity? parent;
        using (parent = jobs.StartActivity("job"))
        await using (var inside = dataSource.CreateCommand("SELECT 'inside-a-job-span'"))
        {
            await inside.ExecuteScalarAsync();
        }

        Assert.DoesNotContain(spans, span => Mentions(span, "outside-any-span"));
        var traced = Assert.Single(spans, span => Mentions(span, "inside-a-job-span"));
        Assert.Equal(parent!.SpanId, traced.ParentSpanId);
        Assert.Empty(traced.Events);
    }

    private static bool Mentions(Activity span, string text) =>
        span.Source.Name == "Npgsql" && span.TagObjects.Any(tag => tag.Value?.ToString()?.Contains(text, StringComparison.Ordinal) == true);
}
