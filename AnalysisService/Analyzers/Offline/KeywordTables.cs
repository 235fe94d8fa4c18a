namespace VoiceAnalytics.AnalysisService.Analyzers.Offline;

/// <summary>
/// The offline analyzer's vocabulary: topics, intents and agent follow-ups, each a Russian label (the CRM and
/// its users read Russian) with stems in the three call languages. Order breaks ties: earlier wins.
/// </summary>
public static class KeywordTables
{
    public const string FallbackTopic = "Общая консультация";
    public const string FallbackIntent = "Получить информацию";

    public static readonly KeywordRule[] Topics =
    [
        new("Стоимость и тарифы", "стоимост", "цена", "цены", "цену", "прайс", "тариф", "сколько стоит", "расценк",
            "price", "pricing", "cost", "quote", "how much", "tariff",
            "preço", "preco", "valor", "orçamento", "orcamento", "quanto custa", "tarifa"),
        new("Оплата и счета", "счет", "оплат", "списа", "списал", "возврат", "invoice", "bill", "charge", "refund", "payment",
            "fatura", "cobran", "cobrad", "reembolso", "estorno", "pagamento"),
        new("Подключение и покупка", "подключ", "купить", "покупк", "заказать", "оформить", "рабочих мест",
            "sign up", "subscribe", "buy", "purchase", "contratar", "assinar", "comprar", "instala"),
        new("Техническая поддержка", "не работает", "ошибк", "сломал", "не могу", "сбой", "неисправ",
            "not working", "doesn't work", "does not work", "error", "broken", "bug", "can't log",
            "não funciona", "nao funciona", "erro", "defeito", "travando"),
        new("Отключение и отмена", "отключ", "расторг", "отмен", "cancel", "unsubscribe", "terminate my", "cancelar", "cancelamento"),
        new("Доставка", "доставк", "курьер", "delivery", "shipping", "tracking", "entrega", "rastreio", "frete"),
        new("Запись и встреча", "записат", "записаться", "встреч", "appointment", "booking", "book a", "schedule",
            "agendar", "agendamento", "marcar", "consulta"),
        new("Жалоба", "жалоб", "недовол", "безобраз", "complain", "unacceptable", "reclama", "insatisfeit"),
    ];

    public static readonly KeywordRule[] Intents =
    [
        new("Получить коммерческое предложение", "коммерческ", "кп", "предложени", "quote", "proposal", "proposta", "orçamento", "orcamento"),
        new("Вернуть ошибочно списанные средства", "возврат", "вернуть деньги", "дважды", "два раза", "refund", "charged twice", "twice",
            "duplicate", "reembolso", "estorno", "duas vezes", "cobrado em dobro"),
        new("Узнать стоимость", "стоимост", "цена", "цены", "цену", "сколько стоит", "price", "pricing", "how much", "cost",
            "preço", "preco", "quanto custa", "valor"),
        new("Подключить услугу", "подключ", "купить", "заказать", "оформить", "sign up", "subscribe", "buy", "purchase",
            "contratar", "comprar", "assinar"),
        new("Решить техническую проблему", "не работает", "ошибк", "сломал", "сбой", "not working", "doesn't work", "error", "broken",
            "não funciona", "nao funciona", "erro", "defeito"),
        new("Отменить услугу", "отключ", "расторг", "отмен", "cancel", "unsubscribe", "cancelar"),
        new("Узнать статус заказа", "статус", "где мой заказ", "where is my order", "order status", "tracking", "rastreio", "meu pedido"),
        new("Записаться на встречу", "записат", "записаться", "appointment", "book a", "schedule", "agendar", "marcar"),
        new("Оставить жалобу", "жалоб", "недовол", "complain", "reclama", "insatisfeit"),
    ];

    // What the agent promised: these make a call a success even when ElevenLabs did not say so.
    public static readonly KeywordRule[] FollowUps =
    [
        new("создана заявка", "тикет", "заявк", "обращение зарегистр", "ticket", "case number", "protocolo", "chamado"),
        new("обещана отправка предложения", "отправлю", "вышлю", "отправим", "вышлем", "i will send", "i'll send", "we will send",
            "we'll send", "vou enviar", "enviaremos", "vamos enviar"),
        new("обещан обратный звонок", "перезвон", "свяжемся", "call you back", "get back to you", "ligar de volta", "retornar",
            "entraremos em contato"),
        new("обещан возврат средств", "will refund", "вернем", "вернём", "возврат оформ", "reembolsar", "estornar", "estorno"),
    ];

    public static readonly KeywordRule Greeting = new("greeting",
        "здравствуйте", "добрый день", "доброе утро", "добрый вечер", "приветствую", "hello", "hi", "good morning", "good afternoon",
        "olá", "ola", "bom dia", "boa tarde", "boa noite");

    public static readonly KeywordRule Thanks = new("thanks", "спасибо", "благодар", "thank", "obrigad", "sorry", "извините", "desculp");

    // A caller who says the agent did not understand or help.
    public static readonly KeywordRule Frustration = new("frustration",
        "не понимаете", "вы меня не слышите", "позовите человека", "оператора", "бесполезн",
        "you don't understand", "not listening", "real person", "human agent", "useless",
        "não entende", "nao entende", "atendente humano", "inútil");
}
