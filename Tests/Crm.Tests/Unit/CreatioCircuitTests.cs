using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Polly;
using BrokenCircuitException = Polly.CircuitBreaker.BrokenCircuitException;
using VoiceAnalytics.Crm.Tests.Support;
using VoiceAnalytics.CrmService.Creatio;

namespace VoiceAnalytics.Crm.Tests.Unit;

/// <summary>The breaker's behaviour through the Polly pipeline the client uses, on a clock the test moves.</summary>
public sealed class CreatioCircuitTests
{
    private static readonly CreatioResult Accepted = CreatioResult.Ok(200, "ok");
    private static readonly CreatioResult ServerError = CreatioResult.Failed(500, "HTTP 500", transient: true);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 11, 3, 10, 0, 0, TimeSpan.Zero));
    private readonly CreatioCircuit _circuit;
    private readonly ResiliencePipeline<CreatioResult> _pipeline;
    private int _calls;

    public CreatioCircuitTests()
    {
        var options = CrmTestOptions.Create(o => o.MaxRetries = 0);
        _circuit = new CreatioCircuit(options, _clock);
        _pipeline = new CreatioPipeline(options, _circuit, _clock, NullLogger<CreatioPipeline>.Instance).Pipeline;
    }

    private ValueTask<CreatioResult> CallAsync(CreatioResult answer, CancellationToken cancellationToken = default) =>
        _pipeline.ExecuteAsync(_ =>
        {
            Interlocked.Increment(ref _calls);
            return ValueTask.FromResult(answer);
        }, cancellationToken);

    private Task<CreatioResult> CallAsync(Task<CreatioResult> answer, CancellationToken cancellationToken = default) =>
        _pipeline.ExecuteAsync(async token =>
        {
            Interlocked.Increment(ref _calls);
            return await answer.WaitAsync(token);
        }, cancellationToken).AsTask();

    private async Task FailAsync(int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.False((await CallAsync(ServerError)).Success);
        }
    }

    private async Task<BrokenCircuitException> RefusedAsync() =>
        await Assert.ThrowsAsync<BrokenCircuitException>(async () => await CallAsync(Accepted));

    private async Task OpenAndWaitForHalfOpenAsync()
    {
        await FailAsync(5);
        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(CircuitState.HalfOpen, _circuit.Snapshot().State);
    }

    [Fact]
    public async Task OpensAfterFiveConsecutiveFailuresAndRefusesWithoutCallingUntilTheBreakHasPassed()
    {
        await FailAsync(4);
        Assert.Equal(CircuitState.Closed, _circuit.Snapshot().State);
        await FailAsync(1);

        var snapshot = _circuit.Snapshot();
        Assert.Equal(CircuitState.Open, snapshot.State);
        Assert.Equal(5, snapshot.ConsecutiveFailures);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(60), snapshot.RetryAt);
        Assert.Equal(TimeSpan.FromSeconds(60), (await RefusedAsync()).RetryAfter);

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(TimeSpan.FromSeconds(1), (await RefusedAsync()).RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(1), _circuit.OpenFor());
        Assert.Equal(5, _calls);
    }

    [Fact]
    public async Task ASuccessResetsTheConsecutiveCount()
    {
        await FailAsync(4);
        await CallAsync(Accepted);
        await FailAsync(4);
        Assert.Equal(CircuitState.Closed, _circuit.Snapshot().State);
        Assert.Equal(4, _circuit.Snapshot().ConsecutiveFailures);
    }

    [Fact]
    public async Task HalfOpenLetsThreeProbesThroughAtOnceAndClosesAfterTwoSucceed()
    {
        await OpenAndWaitForHalfOpenAsync();
        var answers = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource<CreatioResult>()).ToArray();
        var probes = answers.Select(answer => CallAsync(answer.Task)).ToArray();

        Assert.Equal(TimeSpan.FromSeconds(5), (await RefusedAsync()).RetryAfter);

        answers[0].SetResult(Accepted);
        await probes[0];
        Assert.Equal(CircuitState.HalfOpen, _circuit.Snapshot().State);
        answers[1].SetResult(Accepted);
        await probes[1];
        var closed = _circuit.Snapshot();
        Assert.Equal(CircuitState.Closed, closed.State);
        Assert.Equal(0, closed.ConsecutiveFailures);
        Assert.Null(closed.OpenedAt);

        answers[2].SetResult(ServerError); // a probe that answers after the breaker closed counts for nothing
        await probes[2];
        Assert.Equal(0, _circuit.Snapshot().ConsecutiveFailures);
    }

    [Fact]
    public async Task AFailedProbeOpensItAgainForAnotherFullBreak()
    {
        await FailAsync(5);
        _clock.Advance(TimeSpan.FromSeconds(61));
        await FailAsync(1);

        var snapshot = _circuit.Snapshot();
        Assert.Equal(CircuitState.Open, snapshot.State);
        Assert.Equal(_clock.GetUtcNow(), snapshot.OpenedAt);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(60), snapshot.RetryAt);
    }

    [Fact]
    public async Task OutcomesOfCallsStartedBeforeTheBreakerOpenedDoNotMoveIt()
    {
        var slowAnswer = new TaskCompletionSource<CreatioResult>();
        var slow = CallAsync(slowAnswer.Task);
        await FailAsync(5);
        slowAnswer.SetResult(Accepted); // answered after the breaker opened
        await slow;
        Assert.Equal(CircuitState.Open, _circuit.Snapshot().State);
    }

    [Fact]
    public async Task StateChangesAreRaised()
    {
        var changes = new List<CircuitState>();
        _circuit.StateChanged += changes.Add;
        await OpenAndWaitForHalfOpenAsync();
        await CallAsync(Accepted);
        await CallAsync(Accepted);
        Assert.Equal([CircuitState.Open, CircuitState.HalfOpen, CircuitState.Closed], changes);
    }

    [Fact]
    public async Task ACancelledProbeGivesItsSlotBack()
    {
        await OpenAndWaitForHalfOpenAsync();
        using var cancel = new CancellationTokenSource();
        var never = new TaskCompletionSource<CreatioResult>().Task;
        var cancelled = CallAsync(never, cancel.Token);
        var others = new[] { CallAsync(never), CallAsync(never) };
        await RefusedAsync();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.True((await CallAsync(Accepted)).Success);
        Assert.Equal(CircuitState.HalfOpen, _circuit.Snapshot().State);
        Assert.All(others, task => Assert.False(task.IsCompleted));
    }

    [Fact]
    public async Task QuickRetriesInsideOneExportCountAsOneFailure()
    {
        var options = CrmTestOptions.Create(o =>
        {
            o.MaxRetries = 2;
            o.QuickRetryDelay = TimeSpan.Zero;
        });
        var circuit = new CreatioCircuit(options, _clock);
        var pipeline = new CreatioPipeline(options, circuit, _clock, NullLogger<CreatioPipeline>.Instance).Pipeline;
        for (var export = 1; export <= 5; export++)
        {
            Assert.False((await pipeline.ExecuteAsync(_ =>
            {
                _calls++;
                return ValueTask.FromResult(ServerError);
            })).Success);
            Assert.Equal(export, circuit.Snapshot().ConsecutiveFailures);
        }
        Assert.Equal(CircuitState.Open, circuit.Snapshot().State);
        Assert.Equal(15, _calls); // 5 exports × (1 + 2 quick retries)
    }
}
