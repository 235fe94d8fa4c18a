using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace VoiceAnalytics.AppHost.Launch;

/// <summary>
/// Hands DCP (Aspire's orchestrator) a TLS certificate for its API server, so it does not make one itself.
/// Left alone, <c>dcp start-apiserver</c> makes a self-signed certificate with a fresh RSA key at every start:
/// 2–6 CPU-seconds on a 2-core machine, varying from run to run with the prime search, before any resource can
/// start (docs/apphost.md). Aspire 13.6 has no setting for DCP's certificate, but DCP takes
/// <c>--tls-cert-file</c>/<c>--tls-key-file</c>, and Aspire takes the path of the DCP executable
/// (<c>DcpPublisher:CliPath</c>). So the AppHost makes a P-256 certificate (milliseconds) and a launcher script in
/// a private temporary folder, and points that setting at the script: it adds the two options to
/// <c>start-apiserver</c> and runs every other DCP command unchanged. The folder is removed once DCP is serving
/// (it reads the files when it starts) or when the AppHost exits, whichever comes first.
/// </summary>
public static class OrchestratorCertificate
{
    /// <summary>Set to <c>true</c> to let DCP make its own certificate (bench/apphost-startup.sh compares both).</summary>
    public const string OptOutKey = "AppHost:Orchestrator:OwnCertificate";

    private const string DcpPathKey = "DcpPublisher:CliPath";

    /// <summary>
    /// Points Aspire at a launcher that gives DCP a ready certificate. Does nothing on Windows (the launcher is a
    /// shell script), when a DCP path is already configured, when the opt-out is set, or when the package's DCP
    /// path is not known.
    /// </summary>
    public static IDistributedApplicationBuilder UsePreparedOrchestratorCertificate(this IDistributedApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (OperatingSystem.IsWindows() || !builder.ExecutionContext.IsRunMode
            || configuration.GetValue<bool>(OptOutKey)
            || !string.IsNullOrEmpty(configuration[DcpPathKey]) || !string.IsNullOrEmpty(configuration["ASPIRE_DCP_PATH"]))
        {
            return builder;
        }
        var dcp = PackagedDcpPath(builder.AppHostAssembly);
        if (dcp is null || !File.Exists(dcp) || dcp.Contains('\''))
        {
            return builder;
        }
        var launcher = WriteLauncher(dcp);
        configuration[DcpPathKey] = launcher;
        // DCP has read the files once its API server serves the resources; an AppHost that fails earlier exits.
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((_, _) =>
        {
            TryDelete(Path.GetDirectoryName(launcher)!);
            return Task.CompletedTask;
        });
        return builder;
    }

    /// <summary>The DCP executable of the Aspire orchestration package, as the AppHost SDK recorded it.</summary>
    private static string? PackagedDcpPath(Assembly? appHost) =>
        appHost?.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => string.Equals(a.Key, "DcpCliPath", StringComparison.OrdinalIgnoreCase))?.Value;

    private static string WriteLauncher(string dcp)
    {
        var folder = Directory.CreateTempSubdirectory("voiceanalytics-dcp-").FullName; // mode 0700
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(folder);

        var certificatePath = Path.Combine(folder, "cert.pem");
        var keyPath = Path.Combine(folder, "key.pem");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(key);
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // Paths are single-quoted: the folder comes from the temp path and the DCP path was checked for quotes.
        var launcher = Path.Combine(folder, "dcp");
        var ext = Path.Combine(Path.GetDirectoryName(dcp)!, "ext");
        File.WriteAllText(launcher, $"""
            #!/bin/sh
            # Written by the VoiceAnalytics AppHost (Launch/OrchestratorCertificate.cs): DCP's API server gets a
            # prepared certificate instead of making an RSA key at every start; other commands run unchanged.
            if [ "$1" = "start-apiserver" ]; then
              exec '{dcp}' "$@" --tls-cert-file '{certificatePath}' --tls-key-file '{keyPath}'
            fi
            exec '{dcp}' "$@"

            """);
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Aspire looks for DCP's extensions beside the executable it is given.
        if (Directory.Exists(ext))
        {
            Directory.CreateSymbolicLink(Path.Combine(folder, "ext"), ext);
        }
        return launcher;
    }

    /// <summary>A certificate for the loopback names DCP's API server is reached by, valid for a week.</summary>
    private static X509Certificate2 SelfSigned(ECDsa key)
    {
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        // Its own trust anchor: DCP writes it into the kubeconfig as the authority Aspire's client trusts.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // server authentication
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
