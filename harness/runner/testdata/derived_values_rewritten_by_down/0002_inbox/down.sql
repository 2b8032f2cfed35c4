UPDATE sites SET inbox_url = 'https://' || i.domain || '/site_inbox'
FROM instances AS i WHERE i.id = sites.instance_id;
