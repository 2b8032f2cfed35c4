UPDATE accounts SET balance = balance + t.total
FROM (SELECT account_id, sum(amount) AS total FROM transfers GROUP BY account_id) AS t
WHERE accounts.id = t.account_id;
