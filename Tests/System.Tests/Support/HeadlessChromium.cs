using System.Collections.ObjectModel;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// Debian's chromium, headless, driven by Debian's chromedriver through Selenium, with a fresh profile per
/// session. Screenshots go to TestResults/screenshots beside the test project (kept as test output and CI artifacts).
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ChromeDriverPath = "/usr/bin/chromedriver";

    private static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _profile = Directory.CreateTempSubdirectory("dashboard-chromium-");

    public HeadlessChromium()
    {
        if (!File.Exists(ChromiumPath) || !File.Exists(ChromeDriverPath))
        {
            throw new InvalidOperationException($"Browser tests need Debian's chromium and chromium-driver ({ChromiumPath}, {ChromeDriverPath}): apt-get install -y chromium chromium-driver");
        }
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-quic", "--window-size=1440,1000", $"--user-data-dir={_profile.FullName}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(90));
        // Below the 90 s command limit (Selenium's default page load limit is 300 s, above it), so a page that
        // never loads fails as a page load timeout with its URL, not as a lost command.
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(60);
    }

    public ChromeDriver Driver { get; }

    public static string ScreenshotDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "System.Tests.csproj")))
            {
                dir = dir.Parent;
            }
            return Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "TestResults", "screenshots");
        }
    }

    public void GoTo(string url) => Driver.Navigate().GoToUrl(url);

    public string Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public static By TestId(string id) => By.CssSelector($"[data-testid='{id}']");

    /// <summary>
    /// Waits until the elements matching <paramref name="by"/> satisfy <paramref name="condition"/> (by default:
    /// at least one is there). The page re-renders while polling, so elements are found afresh on every try.
    /// </summary>
    public ReadOnlyCollection<IWebElement> WaitForAll(By by, Func<ReadOnlyCollection<IWebElement>, bool>? condition = null,
        TimeSpan? patience = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? DefaultPatience);
        Exception? last = null;
        while (true)
        {
            try
            {
                var found = Driver.FindElements(by);
                if (condition is null ? found.Count > 0 : condition(found))
                {
                    return found;
                }
            }
            catch (StaleElementReferenceException ex)
            {
                last = ex;
            }
            if (DateTime.UtcNow > deadline)
            {
                Screenshot("failed-" + DateTime.UtcNow.ToString("HHmmss"));
                throw new TimeoutException($"Waited for {by} {because}; page {Driver.Url}. {last?.Message}");
            }
            Thread.Sleep(150);
        }
    }

    public IWebElement WaitFor(By by, Func<IWebElement, bool>? condition = null, string? because = null)
    {
        IWebElement? match = null;
        WaitForAll(by, all => (match = all.FirstOrDefault(e => condition is null || condition(e))) is not null, because: because);
        return match!;
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // chromium may still be closing a file; the temp folder is cleaned by the OS.
        }
    }
}
