using VoiceAnalytics.Crm.Tests.Support;
using VoiceAnalytics.CrmService.Export;
using VoiceAnalytics.CrmService.Model;

namespace VoiceAnalytics.Crm.Tests.Unit;

public sealed class CrmCircuitBreakerTests
{
    private readonly ManualTimeProvider _clock = new();

    private CrmCircuitBreaker Breaker() => new(CrmTestOptions.Create(), _clock);

    private static void Fail(CrmCircuitBreaker breaker, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var permit = breaker.TryEnter();
            Assert.True(permit.Allowed);
            breaker.RecordFailure(permit);
        }
    }

    [Fact]
    public void OpensAfterFiveConsecutiveFailuresAndRefusesUntilTheHalfOpenTime()
    {
        var breaker = Breaker();
        Fail(breaker, 4);
        Assert.Equal(CircuitState.Closed, breaker.Snapshot().State);
        Fail(breaker, 1);

        var snapshot = breaker.Snapshot();
        Assert.Equal(CircuitState.Open, snapshot.State);
        Assert.Equal(5, snapshot.ConsecutiveFailures);
        var refused = breaker.TryEnter();
        Assert.False(refused.Allowed);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(60), refused.RetryAt);

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(breaker.TryEnter().Allowed);
    }

    [Fact]
    public void ASuccessResetsTheConsecutiveCount()
    {
        var breaker = Breaker();
        Fail(breaker, 4);
        var permit = breaker.TryEnter();
        breaker.RecordSuccess(permit);
        Fail(breaker, 4);
        Assert.Equal(CircuitState.Closed, breaker.Snapshot().State);
    }

    [Fact]
    public void HalfOpenLetsALimitedNumberOfProbesAndClosesAfterTwoSuccesses()
    {
        var breaker = Breaker();
        Fail(breaker, 5);
        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(CircuitState.HalfOpen, breaker.Snapshot().State);

        var first = breaker.TryEnter();
        var second = breaker.TryEnter();
        var third = breaker.TryEnter();
        Assert.True(first.Allowed && first.Probe);
        Assert.True(second.Allowed && second.Probe);
        Assert.False(third.Allowed);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(5), third.RetryAt);

        breaker.RecordSuccess(first);
        Assert.Equal(CircuitState.HalfOpen, breaker.Snapshot().State);
        breaker.RecordSuccess(second);
        var closed = breaker.Snapshot();
        Assert.Equal(CircuitState.Closed, closed.State);
        Assert.Equal(0, closed.ConsecutiveFailures);
        Assert.Null(closed.OpenedAt);
    }

    [Fact]
    public void AFailedProbeOpensItAgainForAnotherFullPeriod()
    {
        var breaker = Breaker();
        Fail(breaker, 5);
        _clock.Advance(TimeSpan.FromSeconds(61));
        var probe = breaker.TryEnter();
        breaker.RecordFailure(probe);

        var snapshot = breaker.Snapshot();
        Assert.Equal(CircuitState.Open, snapshot.State);
        Assert.Equal(_clock.GetUtcNow(), snapshot.OpenedAt);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(60), snapshot.RetryAt);
    }

    [Fact]
    public void OutcomesOfCallsStartedBeforeTheBreakerOpenedDoNotMoveIt()
    {
        var breaker = Breaker();
        var slow = breaker.TryEnter();
        Fail(breaker, 5);
        breaker.RecordSuccess(slow); // answered after the breaker opened
        Assert.Equal(CircuitState.Open, breaker.Snapshot().State);
    }

    [Fact]
    public void StateChangesAreRaised()
    {
        var breaker = Breaker();
        var changes = new List<CircuitState>();
        breaker.StateChanged += changes.Add;
        Fail(breaker, 5);
        _clock.Advance(TimeSpan.FromSeconds(60));
        var a = breaker.TryEnter();
        var b = breaker.TryEnter();
        breaker.RecordSuccess(a);
        breaker.RecordSuccess(b);
        Assert.Equal([CircuitState.Open, CircuitState.HalfOpen, CircuitState.Closed], changes);
    }

    [Fact]
    public void AReleasedProbeFreesItsSlot()
    {
        var breaker = Breaker();
        Fail(breaker, 5);
        _clock.Advance(TimeSpan.FromSeconds(60));
        var a = breaker.TryEnter();
        var b = breaker.TryEnter();
        Assert.False(breaker.TryEnter().Allowed);
        breaker.Release(a);
        Assert.True(breaker.TryEnter().Allowed);
        breaker.Release(b);
    }
}
