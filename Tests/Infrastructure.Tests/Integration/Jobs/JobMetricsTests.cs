using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Npgsql;
using VoiceAnalytics.Infrastructure.Tests.Support;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Infrastructure.Tests.Integration.Jobs;

public sealed class JobMetricsTests
{
    // Its own queue name, so measurements from other tests' workers (queue "work") do not mix in.
    private const string Queue = "metered";

    [Fact]
    public async Task TheJobsMeterCountsJobsAndReportsQueueDepth()
    {
        var connectionString = await (await ThrowawayPostgres.Shared).CreateDatabaseAsync("jobs");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var create = dataSource.CreateCommand("CREATE TABLE public.results (job_id bigint NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync();
        }
        var totals = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "VoiceAnalytics.Jobs")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "queue", Value: Queue })
                {
                    // Gauges report a level, counters an increment.
                    totals.AddOrUpdate(instrument.Name, value, (_, old) => instrument.Name.StartsWith("jobs.queue.", StringComparison.Ordinal) ? value : old + value);
                }
            }
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        using var host = await WorkerHost.StartAsync(connectionString, w => w.StatsInterval = TimeSpan.FromMilliseconds(100), queueName: Queue);
        var queue = host.Queue(Queue);
        await Eventually.TrueAsync(() => queue.IsListening);
        await queue.EnqueueAsync("analyze", "conv-now", "{}", null);
        await queue.EnqueueAsync("analyze", "conv-later-1", "{}", null, delay: TimeSpan.FromHours(1));
        await queue.EnqueueAsync("analyze", "conv-later-2", "{}", null, delay: TimeSpan.FromHours(1));
        await Eventually.TrueAsync(() => !host.Probe().Finished.IsEmpty);

        await Eventually.TrueAsync(() =>
        {
            listener.RecordObservableInstruments();
            return totals.GetValueOrDefault("jobs.queue.depth") == 2 && totals.ContainsKey("jobs.completed");
        });
        Assert.Equal(1, totals["jobs.claimed"]);
        Assert.Equal(1, totals["jobs.completed"]);
        Assert.True(totals.ContainsKey("jobs.duration"));
        await host.StopAsync();
    }
}
