namespace VoiceAnalytics.AnalysisService.Analyzers.Offline;

/// <summary>Next steps for the sales or support team, in Russian, from the topic and what is still missing.</summary>
public static class RecommendationRules
{
    public static string Write(string topic, bool? success, Contacts contacts, IReadOnlyList<string> followUps)
    {
        var steps = new List<string>();
        steps.Add(topic switch
        {
            "Стоимость и тарифы" or "Подключение и покупка" => "Отправить коммерческое предложение и перезвонить клиенту в течение 1–2 рабочих дней",
            "Оплата и счета" => "Проверить списания по счёту клиента и подтвердить ему исправление или возврат",
            "Техническая поддержка" => "Передать обращение в техническую поддержку и сообщить клиенту срок решения",
            "Отключение и отмена" => "Связаться с клиентом, выяснить причину отказа и предложить условия для удержания",
            "Доставка" => "Проверить статус доставки и сообщить клиенту",
            "Запись и встреча" => "Подтвердить клиенту дату и время встречи",
            "Жалоба" => "Передать жалобу руководителю и связаться с клиентом в течение дня",
            _ => "Связаться с клиентом и уточнить его запрос",
        });
        if (followUps.Count > 0)
        {
            steps.Add("Проконтролировать выполнение обещанного агентом");
        }
        if (contacts.Phone is null)
        {
            steps.Add("Уточнить номер телефона клиента");
        }
        if (contacts.Name is null)
        {
            steps.Add("Уточнить имя клиента");
        }
        if (success == false)
        {
            steps.Add("Разобрать разговор и доработать сценарий агента");
        }
        return string.Join("; ", steps) + ".";
    }
}
