using Microsoft.Extensions.Logging.Abstractions;
using VoiceAnalytics.Gateway.Admin.Sessions;

namespace VoiceAnalytics.Gateway.Tests.Unit.Admin.Sessions;

public sealed class DevelopmentSigningKeyTests
{
    [Fact]
    public void WithoutAConfiguredKeyADevelopmentKeyIsGeneratedOwnerOnlyAndReusedByTheNextStart()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"va-auth-{Guid.NewGuid():N}");
        var file = Path.Combine(folder, "auth-dev-signing-key.json");
        try
        {
            var options = new SessionOptions { DevelopmentKeyFile = file };
            using var first = SigningKeyRingFactory.Create(options, NullLogger.Instance);
            using var second = SigningKeyRingFactory.Create(options, NullLogger.Instance);

            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
            Assert.Equal(first.ActiveKeyId, second.ActiveKeyId);
            Assert.Equal(first.PublicKeys.Single().PublicKey, second.PublicKeys.Single().PublicKey);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AnActiveKeyIdThatIsNotConfiguredStopsTheStart()
    {
        var options = new SessionOptions
        {
            SigningKeys = { ["t1"] = Convert.ToBase64String(new byte[32]) },
            ActiveSigningKeyId = "t2",
        };

        var ex = Assert.Throws<InvalidOperationException>(() => SigningKeyRingFactory.Create(options, NullLogger.Instance));
        Assert.Contains("Auth:ActiveSigningKeyId", ex.Message, StringComparison.Ordinal);
    }
}
